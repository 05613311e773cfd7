/**
 * Departmental imports into the resident archive (民情档案的部门数据导入): the fields of a person's
 * row and a household's row, what a mapping maps their columns to. Shared by the server
 * (server/archive/imports) and the web's import page.
 *
 * Every row names its source department and the date its data was true ("as of", 数据日期): a field
 * changes only when the row's date is newer than the field's, and a source disagreeing with another
 * is reported as a conflict (docs/archive.md).
 */
import type { ImportField } from './imports.js';

export const ARCHIVE_IMPORT_KINDS = ['archive_people', 'archive_households', 'archive_venues'] as const;
export type ArchiveImportKind = (typeof ARCHIVE_IMPORT_KINDS)[number];

/** The fields every departmental row carries: whose data it is and the day it was true. */
const SOURCE_FIELDS = [
  { key: 'sourceDepartment', label: { zh: '来源部门', en: 'Source department' }, type: 'code', required: true },
  { key: 'asOf', label: { zh: '数据日期', en: 'As of' }, type: 'date', required: true },
] as const satisfies readonly ImportField[];

/** A tag the department gives the record (低保, disability with its grade …), for a period. */
const TAG_FIELDS = [
  { key: 'tag', label: { zh: '标签', en: 'Tag' }, type: 'code', required: false },
  { key: 'tagGrade', label: { zh: '等级', en: 'Grade' }, type: 'number', required: false, min: 1, max: 4 },
  { key: 'tagFrom', label: { zh: '标签起始日期', en: 'Tag valid from' }, type: 'date', required: false },
  { key: 'tagTo', label: { zh: '标签截止日期', en: 'Tag valid to' }, type: 'date', required: false },
  { key: 'tagEvidence', label: { zh: '认定依据', en: 'Evidence' }, type: 'text', required: false, maxLength: 500 },
] as const satisfies readonly ImportField[];

/**
 * A person's row, matched by ID number in the district. `unit` (社区或网格) is needed only to file a
 * person not yet on file; gender and birth date, when given, must agree with the ID number; phones
 * are separated by ; , 、 or spaces.
 */
export const ARCHIVE_PERSON_FIELDS = [
  { key: 'idNumber', label: { zh: '身份证号', en: 'ID number' }, type: 'text', required: true, maxLength: 40 },
  { key: 'name', label: { zh: '姓名', en: 'Name' }, type: 'text', required: true, maxLength: 64 },
  { key: 'gender', label: { zh: '性别', en: 'Gender' }, type: 'code', required: false },
  { key: 'birthDate', label: { zh: '出生日期', en: 'Birth date' }, type: 'date', required: false },
  { key: 'phones', label: { zh: '联系电话', en: 'Phones' }, type: 'text', required: false, maxLength: 100 },
  { key: 'ethnicity', label: { zh: '民族', en: 'Ethnicity' }, type: 'text', required: false, maxLength: 20 },
  { key: 'residency', label: { zh: '户籍/流动', en: 'Residency' }, type: 'code', required: false },
  { key: 'address', label: { zh: '居住地址', en: 'Address' }, type: 'text', required: false, maxLength: 200 },
  { key: 'work', label: { zh: '工作单位', en: 'Work' }, type: 'text', required: false, maxLength: 200 },
  { key: 'unit', label: { zh: '所属社区或网格', en: 'Community or grid' }, type: 'code', required: false },
  ...SOURCE_FIELDS,
  ...TAG_FIELDS,
] as const satisfies readonly ImportField[];

/**
 * A household's row, matched by its address (spaces, full-width characters and case ignored). Members
 * are listed in one cell as “ID number relation” pairs separated by ; or new lines, the relation in
 * words (户主, 配偶, 子, 女, 父亲 …) or as a GB/T 4761 code (02 户主, 10 配偶, 20 子 …); exactly one head.
 * The members must be on file (import the people first); a new household lands in its head's unit.
 */
export const ARCHIVE_HOUSEHOLD_FIELDS = [
  { key: 'address', label: { zh: '户地址', en: 'Address' }, type: 'text', required: true, maxLength: 200 },
  { key: 'members', label: { zh: '户成员', en: 'Members' }, type: 'text', required: true, maxLength: 2_000 },
  { key: 'number', label: { zh: '户号', en: 'Household number' }, type: 'text', required: false, maxLength: 40 },
  ...SOURCE_FIELDS,
  ...TAG_FIELDS,
] as const satisfies readonly ImportField[];

/**
 * A venue's row (市场监管 registers, school and clinic lists), matched by its unified social credit
 * code (统一社会信用代码, GB 32100 check character) among the district's open venues' licences. A
 * venue not on file needs its community or grid and its name.
 */
export const ARCHIVE_VENUE_FIELDS = [
  {
    key: 'creditCode',
    label: { zh: '统一社会信用代码', en: 'Credit code' },
    type: 'text',
    required: true,
    maxLength: 40,
  },
  { key: 'name', label: { zh: '场所名称', en: 'Name' }, type: 'text', required: true, maxLength: 100 },
  { key: 'kind', label: { zh: '场所类型', en: 'Kind' }, type: 'code', required: false },
  { key: 'address', label: { zh: '地址', en: 'Address' }, type: 'text', required: false, maxLength: 200 },
  { key: 'unit', label: { zh: '所属社区或网格', en: 'Community or grid' }, type: 'code', required: false },
  { key: 'riskLevel', label: { zh: '风险等级', en: 'Risk level' }, type: 'code', required: false },
  { key: 'contactName', label: { zh: '联系人', en: 'Contact' }, type: 'text', required: false, maxLength: 50 },
  { key: 'contactPhone', label: { zh: '联系电话', en: 'Contact phone' }, type: 'text', required: false, maxLength: 40 },
  ...SOURCE_FIELDS,
] as const satisfies readonly ImportField[];

/** What a field of a departmental row is called in reports (the kept and changed fields, conflicts). */
export const ARCHIVE_IMPORT_FIELD_LABELS: Record<string, { zh: string; en: string }> = Object.fromEntries(
  [...ARCHIVE_PERSON_FIELDS, ...ARCHIVE_HOUSEHOLD_FIELDS, ...ARCHIVE_VENUE_FIELDS].map((f) => [f.key, f.label]),
);
