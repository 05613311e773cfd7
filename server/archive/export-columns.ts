/**
 * The columns of a people export: bilingual headers ("姓名 Name"), Chinese values, like the case
 * exports. Masking is the caller's (archive-export.routes.ts decides row by row).
 */
import type { MemberRelation, PersonStatus, Residency } from '../../common/archive.js';
import type { Cell } from '../exports/table-writer.js';
import type { TagTypeName } from './person.presenter.js';
import type { PersonListRow } from './person.repository.js';

export const EXPORT_COLUMNS = [
  { field: 'name', header: '姓名 Name', width: 12 },
  { field: 'gender', header: '性别 Gender', width: 8 },
  { field: 'birthDate', header: '出生日期 Birth date', width: 12 },
  { field: 'idNumber', header: '身份证号 ID number', width: 22 },
  { field: 'phones', header: '联系电话 Phones', width: 20 },
  { field: 'residency', header: '户籍/流动 Residency', width: 10 },
  { field: 'address', header: '住址 Address', width: 30 },
  { field: 'unit', header: '所属网格 Grid', width: 14 },
  { field: 'household', header: '与户主关系 Relation to head', width: 12 },
  { field: 'tags', header: '标签 Tags', width: 24 },
  { field: 'status', header: '状态 Status', width: 8 },
] as const;

const GENDER_ZH = { male: '男', female: '女' } as const;
const RESIDENCY_ZH: Record<Residency, string> = { registered: '户籍', floating: '流动' };
const STATUS_ZH: Record<PersonStatus, string> = { active: '在册', moved_out: '迁出', deceased: '死亡' };
export const MEMBER_RELATION_ZH: Record<MemberRelation, string> = {
  head: '户主',
  spouse: '配偶',
  child: '子女',
  child_in_law: '儿媳/女婿',
  parent: '父母',
  parent_in_law: '公婆/岳父母',
  grandparent: '祖父母/外祖父母',
  grandchild: '孙子女/外孙子女',
  sibling: '兄弟姐妹',
  other_relative: '其他亲属',
  non_relative: '非亲属',
};

export interface ExportMasks {
  idNumber(value: string): string;
  phone(value: string): string;
}

export function exportRow(p: PersonListRow, names: ReadonlyMap<string, TagTypeName>, mask: ExportMasks): Cell[] {
  return [
    p.name,
    GENDER_ZH[p.gender],
    p.birthDate,
    p.idNumber ? mask.idNumber(p.idNumber) : null,
    p.phones.map(mask.phone).join(' / '),
    RESIDENCY_ZH[p.residency],
    p.address,
    p.unitName,
    p.householdRelation ? MEMBER_RELATION_ZH[p.householdRelation] : null,
    p.tagTypeIds.flatMap((id) => names.get(id)?.nameZh ?? []).join('、'),
    STATUS_ZH[p.status],
  ];
}
