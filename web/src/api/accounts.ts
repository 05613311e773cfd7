/** Staff account endpoints (人员账号). */
import type { AccountView, ListResponse } from '@common/api';
import { api } from './client';

export function listAccounts(signal?: AbortSignal): Promise<ListResponse<AccountView>> {
  return api.get('/api/accounts', { signal });
}
