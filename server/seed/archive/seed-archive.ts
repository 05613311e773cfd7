/**
 * Writes the synthetic resident archive (generate-archive.ts) into the demo subdistrict: buildings,
 * dwellings, households and their members, people and their relations, venues, and tags certified by
 * the district's civil affairs bureau. Every building, dwelling, household, person and venue row has
 * `synthetic = true`; tags, memberships and relations belong to those rows.
 *
 * One transaction (a half-written archive would break the one-head rule the database checks at
 * commit), a few thousand rows per statement. Idempotent: a subdistrict that already has people is
 * left alone.
 */
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { MemberRelation, PersonRelation } from '../../../common/archive.js';
import { SYSTEM_ACTOR } from '../../accounts/actor.js';
import { personNameKeys } from '../../archive/name-keys.js';
import { writeAudit } from '../../audit/audit.writer.js';
import type { Db } from '../../db/database.js';
import { escapeLike } from '../../policies/scope.js';
import type { DemoUnit } from '../demo-data.js';
import { bulkInsert } from './bulk-insert.js';
import { type ArchiveDemo, generateArchive, type SynthPerson } from './generate-archive.js';

export interface SeedArchiveOptions {
  seed: number;
  units: readonly DemoUnit[];
  subdistrictCode: string;
  /** About how many people (default 30,000). */
  people?: number | undefined;
  /** The reference day (default now). */
  asOf?: Date | undefined;
  /** The department (by code) that certifies the tags: the district civil affairs bureau. */
  tagSourceCode?: string | undefined;
  log?: ((line: string) => void) | undefined;
}

export interface SeedArchiveResult {
  seeded: boolean;
  people: number;
  households: number;
  buildings: number;
  dwellings: number;
  venues: number;
  tags: number;
  ms: number;
}

/** A Beijing calendar day's instant (noon, so that the day is the same in every zone near China). */
const noonOf = (day: string) => new Date(`${day}T04:00:00Z`);

/** The pairs of relations inside a household (both directions), from each member's relation to the head. */
export function householdRelations(
  members: readonly { index: number; relation: MemberRelation; gender: string }[],
): [number, number, PersonRelation][] {
  const out: [number, number, PersonRelation][] = [];
  const pair = (a: number, b: number, aToB: PersonRelation, bToA: PersonRelation) => {
    out.push([a, b, aToB], [b, a, bToA]);
  };
  const head = members.find((m) => m.relation === 'head');
  if (!head) return out;
  const spouse = members.find((m) => m.relation === 'spouse');
  const parents = members.filter((m) => m.relation === 'parent');
  if (spouse) pair(head.index, spouse.index, 'spouse', 'spouse');
  const father = parents.find((p) => p.gender === 'male');
  const mother = parents.find((p) => p.gender === 'female');
  if (father && mother) pair(father.index, mother.index, 'spouse', 'spouse');
  for (const m of members) {
    // Row (a, b, r): b is a's r.
    if (m.relation === 'child') for (const p of [head, spouse]) if (p) pair(m.index, p.index, 'parent', 'child');
    if (m.relation === 'parent') pair(head.index, m.index, 'parent', 'child');
    if (m.relation === 'grandchild')
      for (const p of [head, spouse]) if (p) pair(m.index, p.index, 'grandparent', 'grandchild');
  }
  return out;
}

/** Writes the archive unless the subdistrict already has people. */
export async function seedArchive(db: Db, options: SeedArchiveOptions): Promise<SeedArchiveResult> {
  const started = Date.now();
  const empty = { people: 0, households: 0, buildings: 0, dwellings: 0, venues: 0, tags: 0 };
  const subdistrict = await db
    .selectFrom('unit')
    .select(['path', 'district'])
    .where('code', '=', options.subdistrictCode)
    .executeTakeFirst();
  if (!subdistrict) return { seeded: false, ...empty, ms: Date.now() - started };
  const existing = await db
    .selectFrom('person')
    .select('id')
    .where('unitPath', 'like', `${escapeLike(subdistrict.path)}%`)
    .limit(1)
    .executeTakeFirst();
  if (existing) return { seeded: false, ...empty, ms: Date.now() - started };

  const archive = generateArchive({
    seed: options.seed,
    units: options.units,
    asOf: options.asOf ?? new Date(),
    people: options.people,
  });
  options.log?.(
    `demo archive: ${archive.people.length} people in ${archive.households.length} households … / 正在写入演示民情档案 …`,
  );
  const counts = await writeArchive(db, archive, subdistrict.path, options.tagSourceCode ?? 'D310104-MZ');
  const ms = Date.now() - started;
  options.log?.(`demo archive: written in ${Math.round(ms / 100) / 10} s`);
  return { seeded: true, ...counts, ms };
}

async function writeArchive(db: Db, archive: ArchiveDemo, subdistrictPath: string, tagSourceCode: string) {
  const grids = new Map(
    (
      await db
        .selectFrom('unit')
        .select(['id', 'code', 'path', 'district'])
        .where('level', '=', 'grid')
        .where('path', 'like', `${escapeLike(subdistrictPath)}%`)
        .execute()
    ).map((u) => [u.code, u]),
  );
  const grid = (code: string) => {
    const found = grids.get(code);
    if (!found) throw new Error(`the demo archive refers to unknown grid ${code}`);
    return found;
  };
  const tagTypes = new Map(
    (await db.selectFrom('tagType').select(['id', 'code']).execute()).map((t) => [t.code, t.id]),
  );
  const source = await db.selectFrom('department').select('id').where('code', '=', tagSourceCode).executeTakeFirst();

  const ids = {
    buildings: archive.buildings.map(() => uuidv7()),
    dwellings: archive.dwellings.map(() => uuidv7()),
    households: archive.households.map(() => uuidv7()),
    people: archive.people.map(() => uuidv7()),
  };
  const at = (list: string[], index: number) => list[index] as string;
  const householdOf = (p: SynthPerson) => archive.households[p.household];
  const gridOfDwelling = (d: number) => grid(archive.buildings[archive.dwellings[d]?.building ?? -1]?.grid ?? '');
  // Namesakes are many (王伟 …): read each name once.
  const keysByName = new Map<string, ReturnType<typeof personNameKeys>>();
  const nameKeys = (name: string) => {
    const known = keysByName.get(name);
    if (known) return known;
    const keys = personNameKeys(name);
    keysByName.set(name, keys);
    return keys;
  };
  const tenantOf = new Map<number, number>();
  archive.households.forEach((h, i) => {
    if (!h.dissolvedOn && !tenantOf.has(h.dwelling)) tenantOf.set(h.dwelling, i);
  });

  await db.transaction().execute(async (trx) => {
    await bulkInsert(
      trx,
      'building',
      [
        { name: 'district', type: 'text', value: (b) => grid(b.grid).district },
        { name: 'id', type: 'uuid', value: (b) => b.id },
        { name: 'unit_id', type: 'uuid', value: (b) => grid(b.grid).id },
        { name: 'unit_path', type: 'text', value: (b) => grid(b.grid).path },
        { name: 'name', type: 'text', value: (b) => b.name },
        { name: 'address', type: 'text', value: (b) => b.address },
        { name: 'geometry', type: 'jsonb', value: (b) => ({ type: 'Point', coordinates: [b.lng, b.lat] }) },
        { name: 'lng', type: 'float8', value: (b) => b.lng },
        { name: 'lat', type: 'float8', value: (b) => b.lat },
        { name: 'floors', type: 'int2', value: (b) => b.floors },
        { name: 'entrances', type: 'int2', value: (b) => b.units },
        { name: 'synthetic', type: 'bool', value: () => true },
      ],
      archive.buildings.map((b, i) => ({ ...b, id: at(ids.buildings, i) })),
    );

    const owner = (d: ArchiveDemo['dwellings'][number]) => d.owner;
    await bulkInsert(
      trx,
      'dwelling',
      [
        { name: 'district', type: 'text', value: (d) => gridOfDwelling(d.index).district },
        { name: 'id', type: 'uuid', value: (d) => at(ids.dwellings, d.index) },
        { name: 'building_id', type: 'uuid', value: (d) => at(ids.buildings, d.building) },
        { name: 'unit_path', type: 'text', value: (d) => gridOfDwelling(d.index).path },
        { name: 'entrance', type: 'text', value: (d) => d.unit ?? '' },
        { name: 'room', type: 'text', value: (d) => d.room },
        { name: 'floor', type: 'int2', value: (d) => d.floor },
        { name: 'area_m2', type: 'numeric', value: (d) => d.areaM2 },
        {
          name: 'owner_person_id',
          type: 'uuid',
          value: (d) => {
            const o = owner(d);
            return o && 'person' in o ? at(ids.people, o.person) : null;
          },
        },
        {
          name: 'owner_name',
          type: 'text',
          value: (d) => {
            const o = owner(d);
            return o ? ('person' in o ? (archive.people[o.person]?.name ?? null) : o.name) : null;
          },
        },
        {
          name: 'owner_phone',
          type: 'text',
          value: (d) => {
            const o = owner(d);
            return o && 'phone' in o ? o.phone : null;
          },
        },
        {
          name: 'tenant_person_id',
          type: 'uuid',
          value: (d) => {
            const h = tenantOf.get(d.index);
            const head = h === undefined ? undefined : archive.households[h]?.members[0];
            return d.occupancy === 'rented' && head !== undefined ? at(ids.people, head) : null;
          },
        },
        { name: 'occupancy', type: 'text', value: (d) => d.occupancy },
        { name: 'group_rental', type: 'bool', value: (d) => d.groupRental },
        { name: 'synthetic', type: 'bool', value: () => true },
      ],
      archive.dwellings.map((d, index) => ({ ...d, index })),
    );

    await bulkInsert(
      trx,
      'household',
      [
        { name: 'district', type: 'text', value: (h) => grid(h.grid).district },
        { name: 'id', type: 'uuid', value: (h) => at(ids.households, h.index) },
        { name: 'unit_id', type: 'uuid', value: (h) => grid(h.grid).id },
        { name: 'unit_path', type: 'text', value: (h) => grid(h.grid).path },
        { name: 'address', type: 'text', value: (h) => h.address },
        {
          name: 'building_id',
          type: 'uuid',
          value: (h) => at(ids.buildings, archive.dwellings[h.dwelling]?.building ?? -1),
        },
        { name: 'dwelling_id', type: 'uuid', value: (h) => at(ids.dwellings, h.dwelling) },
        { name: 'dissolved_at', type: 'timestamptz', value: (h) => (h.dissolvedOn ? noonOf(h.dissolvedOn) : null) },
        { name: 'synthetic', type: 'bool', value: () => true },
        { name: 'created_at', type: 'timestamptz', value: (h) => noonOf(h.since) },
        { name: 'updated_at', type: 'timestamptz', value: (h) => noonOf(h.dissolvedOn ?? h.since) },
      ],
      archive.households.map((h, index) => ({ ...h, index })),
    );

    await bulkInsert(
      trx,
      'person',
      [
        { name: 'district', type: 'text', value: (p) => grid(householdOf(p)?.grid ?? '').district },
        { name: 'id', type: 'uuid', value: (p) => at(ids.people, p.index) },
        { name: 'unit_id', type: 'uuid', value: (p) => grid(householdOf(p)?.grid ?? '').id },
        { name: 'unit_path', type: 'text', value: (p) => grid(householdOf(p)?.grid ?? '').path },
        { name: 'name', type: 'text', value: (p) => p.name },
        { name: 'name_pinyin', type: 'text', value: (p) => p.keys.pinyin },
        { name: 'name_initials', type: 'text', value: (p) => p.keys.initials },
        { name: 'gender', type: 'text', value: (p) => p.gender },
        { name: 'birth_date', type: 'date', value: (p) => p.birthDate },
        { name: 'id_number', type: 'text', value: (p) => p.idNumber },
        { name: 'phones', type: 'text[]', value: (p) => p.phones },
        { name: 'ethnicity', type: 'text', value: (p) => p.ethnicity },
        { name: 'residency', type: 'text', value: (p) => p.residence },
        { name: 'political_status', type: 'text', value: (p) => p.politicalStatus },
        { name: 'political_status_shown', type: 'bool', value: (p) => p.partyIdentityShown },
        { name: 'work', type: 'text', value: (p) => p.occupation },
        { name: 'address', type: 'text', value: (p) => householdOf(p)?.address ?? '' },
        { name: 'status', type: 'text', value: (p) => p.status },
        {
          name: 'status_changed_at',
          type: 'timestamptz',
          value: (p) => (p.statusChangedOn ? noonOf(p.statusChangedOn) : null),
        },
        { name: 'synthetic', type: 'bool', value: () => true },
        { name: 'created_at', type: 'timestamptz', value: (p) => noonOf(p.since) },
        { name: 'updated_at', type: 'timestamptz', value: (p) => noonOf(p.statusChangedOn ?? p.since) },
      ],
      archive.people.map((p, index) => ({ ...p, index, keys: nameKeys(p.name) })),
    );

    // Those who moved away with their household stay its members; the dead are no longer members.
    const members = archive.households.flatMap((h, household) =>
      h.members.map((person) => ({ household, person, p: archive.people[person] as SynthPerson })),
    );
    await bulkInsert(
      trx,
      'household_member',
      [
        { name: 'district', type: 'text', value: (m) => grid(archive.households[m.household]?.grid ?? '').district },
        { name: 'household_id', type: 'uuid', value: (m) => at(ids.households, m.household) },
        { name: 'person_id', type: 'uuid', value: (m) => at(ids.people, m.person) },
        { name: 'relation', type: 'text', value: (m) => m.p.relation },
        { name: 'joined_on', type: 'date', value: (m) => m.p.since },
      ],
      members,
    );

    // Everyone who lived in the household, the dead included: a late spouse is still a spouse.
    const byHousehold = archive.households.map(
      () => [] as { index: number; relation: MemberRelation; gender: string }[],
    );
    archive.people.forEach((p, index) => {
      byHousehold[p.household]?.push({ index, relation: p.relation, gender: p.gender });
    });
    const relations = archive.households.flatMap((h, household) =>
      householdRelations(byHousehold[household] ?? []).map(([a, b, relation]) => ({
        a,
        b,
        relation,
        district: grid(h.grid).district,
      })),
    );
    await bulkInsert(
      trx,
      'person_relation',
      [
        { name: 'district', type: 'text', value: (r) => r.district },
        { name: 'person_id', type: 'uuid', value: (r) => at(ids.people, r.a) },
        { name: 'related_id', type: 'uuid', value: (r) => at(ids.people, r.b) },
        { name: 'relation', type: 'text', value: (r) => r.relation },
      ],
      relations,
    );

    await bulkInsert(
      trx,
      'venue',
      [
        { name: 'district', type: 'text', value: (v) => grid(v.grid).district },
        { name: 'id', type: 'uuid', value: () => uuidv7() },
        { name: 'unit_id', type: 'uuid', value: (v) => grid(v.grid).id },
        { name: 'unit_path', type: 'text', value: (v) => grid(v.grid).path },
        { name: 'name', type: 'text', value: (v) => v.name },
        { name: 'kind', type: 'text', value: (v) => v.kind },
        { name: 'address', type: 'text', value: (v) => v.address },
        { name: 'lng', type: 'float8', value: (v) => v.lng },
        { name: 'lat', type: 'float8', value: (v) => v.lat },
        {
          name: 'licences',
          type: 'jsonb',
          value: (v) => v.licences.map((l) => ({ kind: l.kind, number: l.number, validTo: l.validUntil })),
        },
        {
          name: 'contacts',
          type: 'jsonb',
          value: (v) => [{ name: v.contactName, phone: v.contactPhone, role: v.contactRole }],
        },
        { name: 'risk_level', type: 'text', value: (v) => v.riskLevel },
        { name: 'synthetic', type: 'bool', value: () => true },
      ],
      archive.venues,
    );

    const tagColumns = (subject: 'person' | 'household') => [
      {
        name: 'district',
        type: 'text',
        value: (t: ArchiveDemo['tags'][number]) =>
          grid(
            (subject === 'person'
              ? archive.households[archive.people[t.person ?? -1]?.household ?? -1]
              : archive.households[t.household ?? -1]
            )?.grid ?? '',
          ).district,
      },
      { name: 'id', type: 'uuid', value: () => uuidv7() },
      {
        name: `${subject}_id`,
        type: 'uuid',
        value: (t: ArchiveDemo['tags'][number]) =>
          subject === 'person' ? at(ids.people, t.person ?? -1) : at(ids.households, t.household ?? -1),
      },
      { name: 'tag_type_id', type: 'uuid', value: (t: ArchiveDemo['tags'][number]) => tagTypes.get(t.kind) ?? null },
      { name: 'grade', type: 'int2', value: (t: ArchiveDemo['tags'][number]) => t.grade ?? null },
      { name: 'source_department_id', type: 'uuid', value: () => source?.id ?? null },
      { name: 'valid_from', type: 'date', value: (t: ArchiveDemo['tags'][number]) => t.validFrom },
      { name: 'valid_to', type: 'date', value: (t: ArchiveDemo['tags'][number]) => t.validTo },
      {
        name: 'evidence',
        type: 'text',
        value: (t: ArchiveDemo['tags'][number]) => (t.detail ? `${t.evidence}：${t.detail}残疾` : t.evidence),
      },
      { name: 'created_at', type: 'timestamptz', value: (t: ArchiveDemo['tags'][number]) => noonOf(t.validFrom) },
    ];
    const known = archive.tags.filter((t) => tagTypes.has(t.kind));
    await bulkInsert(
      trx,
      'person_tag',
      tagColumns('person'),
      known.filter((t) => t.person !== undefined),
    );
    await bulkInsert(
      trx,
      'household_tag',
      tagColumns('household'),
      known.filter((t) => t.household !== undefined),
    );

    const counts = {
      people: archive.people.length,
      households: archive.households.length,
      buildings: archive.buildings.length,
      dwellings: archive.dwellings.length,
      venues: archive.venues.length,
      tags: known.length,
    };
    await writeAudit(
      trx,
      { actor: SYSTEM_ACTOR },
      { action: 'demo.archive_seeded', data: { ...counts, asOf: archive.asOf } },
    );
    // The one-head rule is checked at commit: a failure there is a generator bug, not bad input.
    await sql`set constraints all immediate`.execute(trx);
  });
  return {
    people: archive.people.length,
    households: archive.households.length,
    buildings: archive.buildings.length,
    dwellings: archive.dwellings.length,
    venues: archive.venues.length,
    tags: archive.tags.filter((t) => tagTypes.has(t.kind)).length,
  };
}
