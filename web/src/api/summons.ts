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

/** Joint meetings (联席会议): attendees, cases discussed, decisions with owners and due dates. */
export interface MeetingDecision {
  id: string;
  text: string;
  owner: { department: { id: string; name: string } | null; account: { id: string; name: string | null } | null };
  dueOn: string;
  doneAt: string | null;
  overdue: boolean;
  abilities: { markDone: boolean };
}

export interface MeetingView {
  id: string;
  unit: { id: string; name: string };
  convenedBy: { id: string; name: string | null };
  heldAt: string;
  place: string;
  subject: string;
  minutes: string;
  attendees: {
    kind: 'account' | 'department' | 'person';
    account: { id: string; name: string | null } | null;
    department: { id: string; name: string } | null;
    name: string | null;
  }[];
  cases: { id: string; number: string }[];
  decisions: MeetingDecision[];
  version: number;
  abilities: { update: boolean; linkCase: boolean; addDecision: boolean };
}

export interface CreateMeeting {
  unitId: string;
  heldAt: string;
  place: string;
  subject: string;
  minutes?: string;
  attendees: { kind: 'department'; departmentId: string }[];
  caseIds?: string[];
}

export interface MeetingSummary {
  id: string;
  unit: { id: string; name: string };
  heldAt: string;
  place: string;
  subject: string;
  decisionCounts: { total: number; open: number; overdue: number };
}

export const listMeetings = (signal?: AbortSignal) =>
  api.get<ListResponse<MeetingSummary>>('/api/joint-meetings', { query: { limit: 50 }, signal });

export const getMeeting = (id: string, signal?: AbortSignal) =>
  api.get<MeetingView>(`/api/joint-meetings/${encodeURIComponent(id)}`, { signal });

export const createMeeting = (body: CreateMeeting) => api.post<MeetingView>('/api/joint-meetings', body);

export const addDecision = (id: string, body: { text: string; owner: { departmentId: string }; dueOn: string }) =>
  api.post<MeetingView>(`/api/joint-meetings/${encodeURIComponent(id)}/decisions`, body);

export const markDecisionDone = (id: string, decisionId: string) =>
  api.post<MeetingView>(
    `/api/joint-meetings/${encodeURIComponent(id)}/decisions/${encodeURIComponent(decisionId)}/done`,
  );
