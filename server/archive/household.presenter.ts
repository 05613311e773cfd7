/**
 * Households as the API shows them: members masked like any person, tags cut to those the reader
 * may see, the file's attachments, and the actor's abilities.
 */
import type { HouseholdView } from '../../common/archive.js';
import { type ArchiveAccess, type ArchiveRecordForPolicy, archivePolicy, visibleTagTypes } from './archive.policy.js';
import type { attachmentsOf, HouseholdRow, membersOf, searchHouseholds } from './household.repository.js';
import { presentPersonSummary, presentTag, type TagTypeName, visibleTagNames } from './person.presenter.js';
import type { PersonListRow, TagRow } from './person.repository.js';

export interface HouseholdDetail {
  household: HouseholdRow;
  record: ArchiveRecordForPolicy;
  members: Awaited<ReturnType<typeof membersOf>>;
  people: PersonListRow[];
  tags: TagRow[];
  attachments: Awaited<ReturnType<typeof attachmentsOf>>;
}

export function presentHousehold(
  access: ArchiveAccess,
  d: HouseholdDetail,
  names: ReadonlyMap<string, TagTypeName>,
  today: string,
): HouseholdView {
  const h = d.household;
  const visible = visibleTagTypes(access, d.record);
  const people = new Map(d.people.map((p) => [p.id, p]));
  const update = archivePolicy.write(access.actor, d.record);
  return {
    id: h.id,
    district: h.district,
    number: h.number,
    address: h.address,
    unit: { id: h.unitId, code: h.unitCode, name: h.unitName },
    building: h.buildingId && h.buildingName ? { id: h.buildingId, name: h.buildingName } : null,
    dwelling:
      h.dwellingId && h.dwellingRoom !== null
        ? { id: h.dwellingId, entrance: h.dwellingEntrance ?? '', room: h.dwellingRoom }
        : null,
    notes: visible === null ? h.notes : '',
    dissolvedAt: h.dissolvedAt?.toISOString() ?? null,
    members: d.members.flatMap((m) => {
      const person = people.get(m.personId);
      return person
        ? [{ person: presentPersonSummary(access, person, names), relation: m.relation, joinedOn: m.joinedOn }]
        : [];
    }),
    tags: d.tags.filter((t) => visible === null || visible.has(t.tagTypeId)).map((t) => presentTag(t, today)),
    attachments: visible === null ? d.attachments.map((a) => ({ ...a, createdAt: a.createdAt.toISOString() })) : [],
    synthetic: h.synthetic,
    version: h.version,
    abilities: { update, tag: update, attach: update },
  };
}

type HouseholdListRow = Awaited<ReturnType<typeof searchHouseholds>>['items'][number];

/** A household in a list: its head's name, the number of members, the tags the reader may see. */
export function presentHouseholdSummary(
  access: ArchiveAccess,
  h: HouseholdListRow,
  names: ReadonlyMap<string, TagTypeName>,
) {
  return {
    id: h.id,
    district: h.district,
    number: h.number,
    address: h.address,
    unit: { id: h.unitId, code: h.unitCode, name: h.unitName },
    head: h.headId && h.headName ? { id: h.headId, name: h.headName } : null,
    memberCount: h.memberCount,
    tags: visibleTagNames(access, { unitPath: h.unitPath, activeTagTypeIds: h.tagTypeIds }, names),
  };
}
