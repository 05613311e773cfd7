/**
 * Vocabulary of the closed loop (GLOSSARY "The closed loop"): channels, states, reasons, ratings.
 * Shared by the server, the web and the workflow table.
 */
export const CHANNELS = ['patrol', 'resident', 'hotline', 'sensor', 'survey', 'board', 'open311'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CASE_STATES = [
  'reported', // 上报: waiting to be registered (立案) or rejected
  'registered', // 立案: waiting to be dispatched (派遣)
  'dispatched', // 派遣: waiting for the department to acknowledge (签收) or return (退单)
  'handling', // 处置中
  'deferred', // 缓办: the clock stands still
  'handled', // 处理反馈: waiting for verification (核查)
  'closed', // 结案
  'rejected', // 不予立案
  'merged', // 合并入另一案件 (duplicate)
] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** States in which nothing more happens to the case itself (callback and reopen aside). */
export const FINAL_STATES: readonly CaseState[] = ['closed', 'rejected', 'merged'];

export const URGENCIES = ['normal', 'urgent', 'emergency'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** Stages that have a time limit (时限). */
export const STAGES = ['register', 'dispatch', 'handle', 'verify'] as const;
export type Stage = (typeof STAGES)[number];

export const CLOSE_REASONS = ['solved', 'unsolvable', 'not_responsible', 'duplicate', 'cancelled'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

export const REJECT_REASONS = ['not_a_case', 'out_of_remit', 'duplicate'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const SATISFACTIONS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];

/** The level at which a case was solved (小事不出社区，大事不出街道). */
export const SOLVED_LEVELS = ['grid', 'community', 'subdistrict', 'district', 'city'] as const;
export type SolvedLevel = (typeof SOLVED_LEVELS)[number];

export const CASE_STATE_LABELS: Record<CaseState, { zh: string; en: string }> = {
  reported: { zh: '待立案', en: 'Reported' },
  registered: { zh: '待派遣', en: 'Registered' },
  dispatched: { zh: '待签收', en: 'Dispatched' },
  handling: { zh: '处置中', en: 'Being handled' },
  deferred: { zh: '缓办中', en: 'Deferred' },
  handled: { zh: '待核查', en: 'Awaiting verification' },
  closed: { zh: '已结案', en: 'Closed' },
  rejected: { zh: '不予立案', en: 'Rejected' },
  merged: { zh: '已合并', en: 'Merged' },
};

export const SATISFACTION_LABELS: Record<Satisfaction, { zh: string; en: string }> = {
  satisfied: { zh: '满意', en: 'Satisfied' },
  basically_satisfied: { zh: '基本满意', en: 'Basically satisfied' },
  dissatisfied: { zh: '不满意', en: 'Dissatisfied' },
};

export const CLOSE_REASON_LABELS: Record<CloseReason, { zh: string; en: string }> = {
  solved: { zh: '已解决', en: 'Solved' },
  unsolvable: { zh: '暂无法解决（已说明）', en: 'Cannot be solved (explained)' },
  not_responsible: { zh: '非本级职责', en: 'Not our responsibility' },
  duplicate: { zh: '重复案件', en: 'Duplicate' },
  cancelled: { zh: '已撤销', en: 'Cancelled' },
};
