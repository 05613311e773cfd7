/**
 * The 12345 hotline's work orders (工单): the fields an order carries (what a mapping maps their
 * columns to, and what the push API takes), and the statuses the hotline expects back. Shared by
 * the server (server/hotline) and the web.
 */
import type { CaseState } from './cases.js';
import type { ImportField } from './imports.js';

/**
 * An order's fields. `category` maps to a reportable category code, `unit` (承办单位, the unit the
 * order was forwarded to) to a unit code of the district, `urgency` to normal / urgent / emergency.
 * A place is needed: lng and lat together, or an address.
 */
export const HOTLINE_FIELDS = [
  { key: 'orderNumber', label: { zh: '工单编号', en: 'Order number' }, type: 'text', required: true, maxLength: 64 },
  { key: 'calledAt', label: { zh: '来电时间', en: 'Call time' }, type: 'time', required: false },
  { key: 'callerName', label: { zh: '来电人', en: 'Caller' }, type: 'text', required: false, maxLength: 50 },
  { key: 'callerPhone', label: { zh: '联系电话', en: 'Phone' }, type: 'text', required: false, maxLength: 40 },
  { key: 'category', label: { zh: '诉求分类', en: 'Category' }, type: 'code', required: true },
  { key: 'title', label: { zh: '诉求标题', en: 'Title' }, type: 'text', required: false, maxLength: 100 },
  {
    key: 'description',
    label: { zh: '诉求内容', en: 'Description' },
    type: 'text',
    required: true,
    maxLength: 4_000,
  },
  { key: 'address', label: { zh: '事发地址', en: 'Address' }, type: 'text', required: false, maxLength: 500 },
  { key: 'lng', label: { zh: '经度', en: 'Longitude' }, type: 'number', required: false, min: -180, max: 180 },
  { key: 'lat', label: { zh: '纬度', en: 'Latitude' }, type: 'number', required: false, min: -90, max: 90 },
  { key: 'unit', label: { zh: '承办单位', en: 'Handling unit' }, type: 'code', required: false },
  { key: 'deadline', label: { zh: '办理时限', en: 'Deadline' }, type: 'time', required: false },
  { key: 'urgency', label: { zh: '紧急程度', en: 'Urgency' }, type: 'code', required: false },
] as const satisfies readonly ImportField[];

export type HotlineFieldKey = (typeof HOTLINE_FIELDS)[number]['key'];

/** The fields whose values go through the mapping's value tables. */
export const HOTLINE_CODE_FIELDS = ['category', 'unit', 'urgency'] as const;

/** The statuses the hotline reads back (办理状态), from the case's state. */
export const HOTLINE_STATUSES = ['accepted', 'handling', 'closed', 'returned', 'merged'] as const;
export type HotlineStatus = (typeof HOTLINE_STATUSES)[number];

export const HOTLINE_STATUS_OF: Record<CaseState, HotlineStatus> = {
  reported: 'accepted',
  registered: 'accepted',
  dispatched: 'handling',
  handling: 'handling',
  deferred: 'handling',
  handled: 'handling',
  closed: 'closed',
  rejected: 'returned',
  merged: 'merged',
};

export const HOTLINE_STATUS_LABELS: Record<HotlineStatus, { zh: string; en: string }> = {
  accepted: { zh: '已受理', en: 'Accepted' },
  handling: { zh: '办理中', en: 'Being handled' },
  closed: { zh: '已办结', en: 'Closed' },
  returned: { zh: '退回', en: 'Returned' },
  merged: { zh: '已合并', en: 'Merged' },
};

/** The status export's formats and its longest period (days). */
export const HOTLINE_EXPORT_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type HotlineExportFormat = (typeof HOTLINE_EXPORT_FORMATS)[number];
export const HOTLINE_EXPORT_MAX_DAYS = 92;
