/**
 * People as the API shows them (DESIGN rule 10): ID numbers and phones masked always (clear values
 * only through the unmask route), tags cut to those the reader may see, and a department's reader
 * given DEPARTMENT_FIELDS only. Records carry the actor's abilities on them.
 */
import type { PersonSummary, PersonView, TagView } from '../../common/archive.js';
import { maskIdNumber, maskPhone } from '../../common/id-number.js';
import type { Db, Trx } from '../db/database.js';
import {
  type ArchiveAccess,
  type ArchiveRecordForPolicy,
  archivePolicy,
  readsTerritorially,
  visibleTagTypes,
} from './archive.policy.js';
import type { PersonListRow, PersonRow, relationsOf, TagRow } from './person.repository.js';

export interface TagTypeName {
  code: string;
  nameZh: string;
  nameEn: string;
}

/** Every tag type's names (a small reference table), for lists. */
export async function tagTypeNames(db: Db | Trx): Promise<Map<string, TagTypeName>> {
  const rows = await db.selectFrom('tagType').select(['id', 'code', 'nameZh', 'nameEn']).execute();
  return new Map(rows.map((r) => [r.id, { code: r.code, nameZh: r.nameZh, nameEn: r.nameEn }]));
}

const isActive = (t: { validFrom: string; validTo: string | null }, today: string) =>
  t.validFrom <= today && (t.validTo === null || t.validTo >= today);

export function presentTag(t: TagRow, today: string): TagView {
  return {
    id: t.id,
    type: { id: t.tagTypeId, code: t.code, nameZh: t.nameZh, nameEn: t.nameEn },
    grade: t.grade,
    sourceDepartment:
      t.sourceDepartmentId && t.sourceDepartmentCode && t.sourceDepartmentName
        ? { id: t.sourceDepartmentId, code: t.sourceDepartmentCode, name: t.sourceDepartmentName }
        : null,
    validFrom: t.validFrom,
    validTo: t.validTo,
    evidence: t.evidence,
    active: isActive(t, today),
  };
}

function summaryFields(p: PersonRow): Omit<PersonSummary, 'tags'> {
  return {
    id: p.id,
    district: p.district,
    name: p.name,
    gender: p.gender,
    birthDate: p.birthDate,
    idNumber: p.idNumber ? maskIdNumber(p.idNumber) : null,
    phones: p.phones.map(maskPhone),
    masked: true,
    residency: p.residency,
    status: p.status,
    address: p.address,
    unit: { id: p.unitId, code: p.unitCode, name: p.unitName },
    household: p.householdId && p.householdRelation ? { id: p.householdId, relation: p.householdRelation } : null,
    synthetic: p.synthetic,
  };
}

/** The names of a record's currently valid tags that the reader may see, for lists. */
export function visibleTagNames(
  access: ArchiveAccess,
  record: ArchiveRecordForPolicy,
  names: ReadonlyMap<string, TagTypeName>,
): TagTypeName[] {
  const visible = visibleTagTypes(access, record);
  return record.activeTagTypeIds.flatMap((id) => {
    const name = names.get(id);
    return name && (visible === null || visible.has(id)) ? [name] : [];
  });
}

/** A person in a list: masked, with the names of the currently valid tags the reader may see. */
export function presentPersonSummary(
  access: ArchiveAccess,
  p: PersonListRow,
  names: ReadonlyMap<string, TagTypeName>,
): PersonSummary {
  return {
    ...summaryFields(p),
    tags: visibleTagNames(access, { unitPath: p.unitPath, activeTagTypeIds: p.tagTypeIds }, names),
  };
}

export interface PersonDetail {
  person: PersonRow;
  tags: TagRow[];
  relations: Awaited<ReturnType<typeof relationsOf>>;
  activeTagTypeIds: readonly string[];
}

/** A person's page: masked; a department's reader sees DEPARTMENT_FIELDS and its granted tags only. */
export function presentPerson(access: ArchiveAccess, d: PersonDetail, today: string): PersonView {
  const p = d.person;
  const record: ArchiveRecordForPolicy = { unitPath: p.unitPath, activeTagTypeIds: d.activeTagTypeIds };
  const full = readsTerritorially(access, record);
  const visible = visibleTagTypes(access, record);
  const update = archivePolicy.write(access.actor, record);
  return {
    ...summaryFields(p),
    view: full ? 'full' : 'department',
    ethnicity: full ? p.ethnicity : null,
    // Party membership is shown as an identity only where the person agreed; writers maintain it.
    politicalStatus: full && (p.politicalStatusShown || update) ? p.politicalStatus : null,
    politicalStatusShown: p.politicalStatusShown,
    work: full ? p.work : '',
    notes: full ? p.notes : '',
    tags: d.tags.filter((t) => visible === null || visible.has(t.tagTypeId)).map((t) => presentTag(t, today)),
    relations: full ? d.relations.map((r) => ({ person: { id: r.id, name: r.name }, relation: r.relation })) : [],
    version: p.version,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    abilities: {
      update,
      unmask: archivePolicy.unmask(access.actor, record),
      tag: update,
      readHistory: archivePolicy.readHistory(access.actor, record),
    },
  };
}
