/**
 * The columns of a case export, one list for CSV and XLSX: bilingual headers ("编号 Number"), values
 * in Chinese (the file is for the office), times as Beijing wall time. Each row is the presenter's
 * view of the case (case.presenter.ts: masking, light, category names) plus the few things a file
 * needs that the API leaves to the web (unit and department names).
 */
import type { z } from 'zod';
import { CASE_STATE_LABELS, CLOSE_REASON_LABELS } from '../../common/cases.js';
import { LEVEL_LABELS } from '../../common/territory.js';
import type { CaseRow } from '../cases/case.repository.js';
import type { ZCaseView } from '../cases/case.schema.js';

type CaseView = z.infer<typeof ZCaseView>;

/** A case ready to be written: the presenter's view, its row, and the names looked up for it. */
export interface ExportCase {
  view: CaseView;
  row: CaseRow;
  unit: { code: string; name: string } | undefined;
  department: string | undefined;
  /** The reporter's name and phone as they go out (masked unless this row may be unmasked). */
  reporter: { name: string | null; phone: string | null };
}

export type Cell = string | number | Date | null;

export interface Column {
  key: string;
  zh: string;
  en: string;
  /** XLSX column width in characters. */
  width: number;
  type: 'text' | 'number' | 'time';
  value: (c: ExportCase) => Cell;
}

const CHANNELS: Record<string, string> = {
  patrol: '网格巡查',
  resident: '居民上报',
  hotline: '热线电话',
  sensor: '物联感知',
  survey: '走访调查',
  board: '社区通',
  open311: '外部接口',
};
const URGENCIES: Record<string, string> = { normal: '一般', urgent: '紧急', emergency: '特急' };
const LIGHTS: Record<string, string> = {
  none: '无时限',
  green: '正常',
  yellow: '即将超时',
  red: '已超时',
  paused: '已暂停',
};
const STAGES: Record<string, string> = { register: '立案', dispatch: '派遣', handle: '处置', verify: '核查' };
const REPORTER_KINDS: Record<string, string> = {
  resident: '居民',
  staff: '工作人员',
  anonymous: '匿名居民',
  caller: '来电人',
  machine: '设备',
};
const SATISFACTIONS: Record<string, string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  dissatisfied: '不满意',
};

const word = (labels: Record<string, string>, value: string | null | undefined) =>
  value ? (labels[value] ?? value) : null;
const instant = (iso: string | null | undefined) => (iso ? new Date(iso) : null);

export const CASE_COLUMNS: readonly Column[] = [
  { key: 'number', zh: '编号', en: 'Number', width: 22, type: 'text', value: (c) => c.view.number },
  {
    key: 'createdAt',
    zh: '上报时间',
    en: 'Reported at',
    width: 20,
    type: 'time',
    value: (c) => instant(c.view.createdAt),
  },
  {
    key: 'state',
    zh: '状态',
    en: 'State',
    width: 10,
    type: 'text',
    value: (c) => CASE_STATE_LABELS[c.view.state].zh,
  },
  { key: 'channel', zh: '渠道', en: 'Channel', width: 10, type: 'text', value: (c) => word(CHANNELS, c.view.channel) },
  {
    key: 'categoryCode',
    zh: '类别代码',
    en: 'Category code',
    width: 10,
    type: 'text',
    value: (c) => c.view.category.code,
  },
  {
    key: 'category',
    zh: '类别',
    en: 'Category',
    width: 16,
    type: 'text',
    value: (c) => c.view.category.name.zh,
  },
  {
    key: 'urgency',
    zh: '紧急程度',
    en: 'Urgency',
    width: 8,
    type: 'text',
    value: (c) => word(URGENCIES, c.view.urgency),
  },
  { key: 'title', zh: '标题', en: 'Title', width: 24, type: 'text', value: (c) => c.view.title },
  { key: 'description', zh: '描述', en: 'Description', width: 40, type: 'text', value: (c) => c.view.description },
  { key: 'address', zh: '地址', en: 'Address', width: 24, type: 'text', value: (c) => c.view.address },
  { key: 'lng', zh: '经度', en: 'Longitude', width: 11, type: 'number', value: (c) => c.view.location?.lng ?? null },
  { key: 'lat', zh: '纬度', en: 'Latitude', width: 11, type: 'number', value: (c) => c.view.location?.lat ?? null },
  { key: 'unitCode', zh: '所属单元代码', en: 'Unit code', width: 16, type: 'text', value: (c) => c.unit?.code ?? null },
  { key: 'unitName', zh: '所属单元', en: 'Unit', width: 14, type: 'text', value: (c) => c.unit?.name ?? null },
  {
    key: 'department',
    zh: '处置部门',
    en: 'Department',
    width: 18,
    type: 'text',
    value: (c) => c.department ?? null,
  },
  {
    key: 'reporterKind',
    zh: '上报人类型',
    en: 'Reporter kind',
    width: 10,
    type: 'text',
    value: (c) => word(REPORTER_KINDS, c.view.reporter.kind),
  },
  { key: 'reporterName', zh: '上报人', en: 'Reporter', width: 10, type: 'text', value: (c) => c.reporter.name },
  {
    key: 'reporterPhone',
    zh: '联系电话',
    en: 'Phone',
    width: 14,
    type: 'text',
    value: (c) => c.reporter.phone,
  },
  {
    key: 'stage',
    zh: '当前环节',
    en: 'Stage',
    width: 8,
    type: 'text',
    value: (c) => word(STAGES, c.view.clock.stage),
  },
  {
    key: 'dueAt',
    zh: '环节时限',
    en: 'Stage due at',
    width: 20,
    type: 'time',
    value: (c) => instant(c.view.clock.dueAt),
  },
  { key: 'light', zh: '亮灯', en: 'Light', width: 9, type: 'text', value: (c) => word(LIGHTS, c.view.clock.light) },
  {
    key: 'closeReason',
    zh: '结案原因',
    en: 'Close reason',
    width: 12,
    type: 'text',
    value: (c) => (c.view.closeReason ? CLOSE_REASON_LABELS[c.view.closeReason].zh : null),
  },
  {
    key: 'closedAt',
    zh: '结案时间',
    en: 'Closed at',
    width: 20,
    type: 'time',
    value: (c) => c.row.closedAt,
  },
  {
    key: 'solvedLevel',
    zh: '解决层级',
    en: 'Solved at level',
    width: 10,
    type: 'text',
    value: (c) =>
      c.view.solvedLevel
        ? (LEVEL_LABELS[c.view.solvedLevel as keyof typeof LEVEL_LABELS]?.zh ?? c.view.solvedLevel)
        : null,
  },
  {
    key: 'satisfaction',
    zh: '满意度',
    en: 'Satisfaction',
    width: 10,
    type: 'text',
    value: (c) => word(SATISFACTIONS, c.view.satisfaction),
  },
  {
    key: 'updatedAt',
    zh: '最后更新',
    en: 'Updated at',
    width: 20,
    type: 'time',
    value: (c) => instant(c.view.updatedAt),
  },
];

/** The header of a column as both files show it: Chinese, then English. */
export const columnHeader = (column: Pick<Column, 'zh' | 'en'>): string => `${column.zh} ${column.en}`;
