/**
 * Vocabulary of summons (约请) and joint meetings (联席会议): "街乡吹哨、部门报到" — a committee or a
 * subdistrict calls departments to the spot about a problem it cannot solve alone, and the
 * functional lines (条) and territories (块) meet to decide who does what by when.
 * Shared by the server and the web.
 */

export const SUMMONS_STATES = [
  'sent', // 已发出: waiting for the departments' replies
  'answered', // 已答复: every department replied
  'closed', // 已办结: the issuer recorded the outcome
  'cancelled', // 已撤销
] as const;
export type SummonsState = (typeof SUMMONS_STATES)[number];

/** States in which the summons still runs: replies are taken, and it can be closed or cancelled. */
export const OPEN_SUMMONS_STATES: readonly SummonsState[] = ['sent', 'answered'];

/** A department's answer: it comes (at a proposed time) or it declines (with a reason). */
export const SUMMONS_REPLIES = ['accepted', 'declined'] as const;
export type SummonsReply = (typeof SUMMONS_REPLIES)[number];

/** Units that may summon: a residents' or village committee, or a subdistrict (town). */
export const SUMMONING_LEVELS = ['subdistrict', 'community'] as const;
/** Units that may convene a joint meeting. */
export const CONVENING_LEVELS = ['district', 'subdistrict', 'community'] as const;

/** The reply limit: counted in working time by the calendar, within these bounds. */
export const SUMMONS_REPLY_UNITS = ['working_hours', 'working_days'] as const;
export type SummonsReplyUnit = (typeof SUMMONS_REPLY_UNITS)[number];
export const SUMMONS_REPLY_BOUNDS: Record<SummonsReplyUnit, { min: number; max: number }> = {
  working_hours: { min: 1, max: 40 },
  working_days: { min: 0.5, max: 5 },
};
export const DEFAULT_SUMMONS_REPLY_LIMIT = { amount: 1, unit: 'working_days' } as const;

/** At most this many departments on one summons. */
export const MAX_SUMMONED_DEPARTMENTS = 10;
/** A decline reason, an outcome and a cancellation reason need at least this many characters. */
export const MIN_REASON_LENGTH = 4;

/** Who attended a joint meeting: a staff account, a department (条), or a person named in free text. */
export const ATTENDEE_KINDS = ['account', 'department', 'person'] as const;
export type AttendeeKind = (typeof ATTENDEE_KINDS)[number];
