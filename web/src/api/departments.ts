/** Department endpoints (条). */
import type { DepartmentView, ListResponse } from '@common/api';
import { api } from './client';

export function listDepartments(signal?: AbortSignal): Promise<ListResponse<DepartmentView>> {
  return api.get('/api/departments', { signal });
}
