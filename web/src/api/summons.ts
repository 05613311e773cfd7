/** Summonses (约请): a committee or subdistrict calls departments to the spot; each answers once. */
import type { ListResponse } from '@common/api';
import type { SummonsReply, SummonsReplyUnit, SummonsState } from '@common/summons';
import { api } from './client';

type Bilingual = { zh: string; en: string };

export interface SummonsDepartment {
  department: { id: string; code: string; name: string };
  reply: SummonsReply | null;
  arrivalAt: string | null;
  declineReason: string | null;
  repliedBy: { id: string; name: string | null } | null;
  repliedAt: string | null;
  late: boolean;
  light: 'none' | 'green' | 'yellow' | 'red';
}

export interface SummonsView {
  id: string;
  unit: { id: string; code: string; name: string };
  issuedBy: { id: string; name: string | null };
  case: { id: string; number: string } | null;
  subject: string;
  description: string;
  place: string;
  requestedAt: string;
  replyLimit: { amount: number; unit: SummonsReplyUnit };
  sentAt: string;
  replyDueAt: string;
  state: SummonsState;
  light: 'none' | 'green' | 'yellow' | 'red';
  remaining: { overdue: boolean; minutes: number; text: Bilingual } | null;
  outcome: string | null;
  endedAt: string | null;
  departments: SummonsDepartment[];
  version: number;
  abilities: { reply: string[]; close: boolean; cancel: boolean };
}

export interface IssueSummons {
  unitId: string;
  departmentIds: string[];
  caseId?: string;
  subject: string;
  description?: string;
  place: string;
  requestedAt: string;
  replyLimit?: { amount: number; unit: SummonsReplyUnit };
}

export const listIssued = (signal?: AbortSignal) =>
  api.get<ListResponse<SummonsView>>('/api/summons', { query: { limit: 100 }, signal });

export const listSummoned = (signal?: AbortSignal) =>
  api.get<ListResponse<SummonsView>>('/api/summons/summoned', { query: { limit: 100 }, signal });

export const issueSummons = (body: IssueSummons) => api.post<SummonsView>('/api/summons', body);

export const replySummons = (
  id: string,
  body: { departmentId: string; reply: SummonsReply; arrivalAt?: string; reason?: string },
) => api.post<SummonsView>(`/api/summons/${encodeURIComponent(id)}/reply`, body);

export const endSummons = (id: string, verb: 'close' | 'cancel', body: { version: number; text: string }) =>
  api.post<SummonsView>(`/api/summons/${encodeURIComponent(id)}/${verb}`, body);
