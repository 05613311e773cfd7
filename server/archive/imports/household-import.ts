/**
 * Households from a department's file as a kind of import (archive_households): each row is matched
 * by its address, normalised as the database's archive_normalize does (no white space, full-width as
 * ASCII, lower-case), among the district's living households. The row lists the members with their
 * relation to the head; they must be people on file in the run's scope, exactly one the head. A new
 * household lands in its head's unit; one on file has its members (and number, and tag) decided by
 * provenance.ts. One transaction per row; the deferred head check runs at its commit.
 */
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { MEMBER_RELATIONS, type MemberRelation } from '../../../common/archive.js';
import { ARCHIVE_HOUSEHOLD_FIELDS } from '../../../common/archive-imports.js';
import { parseIdNumber } from '../../../common/id-number.js';
import type { Trx } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import type { ImportKind, MappedRecord, RowContext, RowResult } from '../../imports/import-kind.js';
import { checkMembers, headViolation, type MemberInput, writeMembers } from '../commands/household-members.js';
import { normalizeSearchText } from '../name-keys.js';
import {
  decideClaims,
  type RowSource,
  rowSource,
  settleRow,
  sourceCodes,
  type TagClaim,
  tagClaim,
  tagOfRow,
  today,
} from './import-parts.js';
import type { FieldClaim } from './provenance.js';

export const HOUSEHOLDS_KIND = 'archive_households';

/**
 * Relations to the head as registers write them: words, and GB/T 4761 family-relation codes by their
 * first digit (01/02 本人·户主, 1x 配偶, 2x 子, 3x 女, 4x 孙子女, 5x 父母, 6x 祖父母, 7x 兄弟姐妹, 8x 其他, 9x 非亲属).
 */
const RELATION_WORDS: Record<string, MemberRelation> = {
  户主: 'head',
  本人: 'head',
  配偶: 'spouse',
  夫: 'spouse',
  妻: 'spouse',
  丈夫: 'spouse',
  妻子: 'spouse',
  子: 'child',
  女: 'child',
  子女: 'child',
  儿子: 'child',
  女儿: 'child',
  长子: 'child',
  次子: 'child',
  长女: 'child',
  次女: 'child',
  儿媳: 'child_in_law',
  女婿: 'child_in_law',
  父亲: 'parent',
  母亲: 'parent',
  父母: 'parent',
  岳父: 'parent_in_law',
  岳母: 'parent_in_law',
  公公: 'parent_in_law',
  婆婆: 'parent_in_law',
  祖父: 'grandparent',
  祖母: 'grandparent',
  外祖父: 'grandparent',
  外祖母: 'grandparent',
  孙子: 'grandchild',
  孙女: 'grandchild',
  外孙子: 'grandchild',
  外孙女: 'grandchild',
  兄弟姐妹: 'sibling',
  兄: 'sibling',
  弟: 'sibling',
  姐: 'sibling',
  妹: 'sibling',
  其他亲属: 'other_relative',
  非亲属: 'non_relative',
};
const BY_FIRST_DIGIT: MemberRelation[] = [
  'head',
  'spouse',
  'child',
  'child',
  'grandchild',
  'parent',
  'grandparent',
  'sibling',
  'other_relative',
  'non_relative',
];

/** A relation word, GB/T 4761 code or our code as our code; undefined when unknown. */
export function memberRelation(text: string): MemberRelation | undefined {
  const word = text.trim();
  if ((MEMBER_RELATIONS as readonly string[]).includes(word)) return word as MemberRelation;
  if (/^\d{2}$/.test(word)) return word === '00' ? undefined : BY_FIRST_DIGIT[Number(word[0])];
  return RELATION_WORDS[word];
}

/** The members cell: “ID number relation” pairs separated by ; or new lines, each checked. */
export function parseMembers(text: string, day: string): { idNumber: string; relation: MemberRelation }[] {
  const items = text
    .split(/[;；\n]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return items.map((item, i) => {
    const m = /^(\S+?)\s*[:：,，\s]\s*(\S+)$/.exec(item);
    const path = `body.members.${i}`;
    if (!m) throw new AppError('IMPORT_VALUE_INVALID', { fields: [{ path, reason: 'write “ID number relation”' }] });
    const id = parseIdNumber(m[1] ?? '', day);
    if (!id.ok) throw new AppError('ARCHIVE_ID_NUMBER_INVALID', { fields: [{ path, reason: id.problem }] });
    const relation = memberRelation(m[2] ?? '');
    if (!relation)
      throw new AppError('IMPORT_VALUE_INVALID', { fields: [{ path, reason: `unknown relation “${m[2]}”` }] });
    return { idNumber: id.normalized, relation };
  });
}

/** The members as a comparable text: “ID:relation” in ID order. */
const membersText = (members: readonly { idNumber: string; relation: string }[]) =>
  members
    .map((m) => `${m.idNumber}:${m.relation}`)
    .sort()
    .join(';');

/** The people the row names, on file in the run's scope, with their relations. */
async function memberInputs(trx: Trx, ctx: RowContext, listed: { idNumber: string; relation: MemberRelation }[]) {
  const people = await trx
    .selectFrom('person')
    .select(['id', 'idNumber', 'unitId', 'unitPath', 'district'])
    .where('district', '=', ctx.run.district)
    .where(
      'idNumber',
      'in',
      listed.map((m) => m.idNumber),
    )
    .where('unitPath', 'like', `${ctx.run.scopePath}%`)
    .execute();
  const byNumber = new Map(people.map((p) => [p.idNumber, p]));
  return listed.map((m, i) => {
    const person = byNumber.get(m.idNumber);
    if (!person)
      throw new AppError('ARCHIVE_IMPORT_MEMBER_UNKNOWN', {
        fields: [{ path: `body.members.${i}`, reason: 'not on file in the scope' }],
      });
    return { person, relation: m.relation } satisfies MemberInput;
  });
}

interface HouseholdRowData {
  address: string;
  members: { idNumber: string; relation: MemberRelation }[];
  number?: string;
}

function readRow(record: MappedRecord, day: string): HouseholdRowData {
  const address = String(record.address).trim();
  const members = parseMembers(String(record.members), day);
  checkMembers(
    '',
    members.map((m) => ({ person: { id: m.idNumber, district: '' }, relation: m.relation })),
  );
  return { address, members, ...(record.number === undefined ? {} : { number: String(record.number) }) };
}

async function createHouseholdFromRow(
  trx: Trx,
  ctx: RowContext,
  row: HouseholdRowData,
  source: RowSource,
  tag: TagClaim | null,
): Promise<RowResult> {
  const members = await memberInputs(trx, ctx, row.members);
  const head = members.find((m) => m.relation === 'head')?.person;
  if (!head) throw new AppError('ARCHIVE_HOUSEHOLD_HEAD');
  const id = uuidv7();
  const district = ctx.run.district;
  const now = new Date();
  await trx
    .insertInto('household')
    .values({
      district,
      id,
      unitId: head.unitId,
      unitPath: head.unitPath,
      number: row.number ?? null,
      address: row.address,
      buildingId: null,
      dwellingId: null,
      dissolvedAt: null,
      createdBy: ctx.run.createdBy,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  await writeMembers(
    trx,
    { id, district, unitId: head.unitId, unitPath: head.unitPath, address: row.address },
    members,
    now,
  );
  const claims: FieldClaim[] = [{ field: 'members', incoming: membersText(row.members), current: '' }];
  if (row.number !== undefined) claims.push({ field: 'number', incoming: row.number, current: '' });
  if (tag) {
    const t = await tagClaim(trx, { kind: 'household', id, district }, tag, source, ctx.run.createdBy);
    await t.apply();
    claims.push(t.claim);
  }
  const target = { subject: 'household' as const, id, district };
  const decided = await decideClaims(trx, target, source, null, claims);
  const people = members.map((m) => m.person.id);
  return settleRow(trx, ctx, { target, created: true, people }, decided, claims);
}

async function updateHouseholdFromRow(
  trx: Trx,
  ctx: RowContext,
  row: HouseholdRowData,
  source: RowSource,
  tag: TagClaim | null,
  household: {
    id: string;
    unitId: string;
    unitPath: string;
    address: string;
    number: string | null;
    changedOn: string;
  },
): Promise<RowResult> {
  const district = ctx.run.district;
  if (!household.unitPath.startsWith(ctx.run.scopePath))
    throw new AppError('ARCHIVE_IMPORT_OUTSIDE_SCOPE', {
      fields: [{ path: 'body.address', reason: 'on file outside the scope' }],
    });
  const onFile = await trx
    .selectFrom('householdMember as m')
    .innerJoin('person as p', (j) => j.onRef('p.district', '=', 'm.district').onRef('p.id', '=', 'm.personId'))
    .select(['p.id', 'p.idNumber', 'm.relation'])
    .where('m.district', '=', district)
    .where('m.householdId', '=', household.id)
    .execute();
  const claims: FieldClaim[] = [
    {
      field: 'members',
      incoming: membersText(row.members),
      current: membersText(onFile.map((m) => ({ idNumber: m.idNumber ?? m.id, relation: m.relation }))),
    },
  ];
  if (row.number !== undefined) claims.push({ field: 'number', incoming: row.number, current: household.number ?? '' });
  const subject = { kind: 'household' as const, id: household.id, district };
  const tagged = tag ? await tagClaim(trx, subject, tag, source, ctx.run.createdBy) : null;
  if (tagged) claims.push(tagged.claim);
  const target = { subject: 'household' as const, id: household.id, district };
  const decided = await decideClaims(trx, target, source, household.changedOn, claims);
  const { taken } = decided;
  const people = new Set(onFile.map((m) => m.id));
  if (taken.has('members')) {
    const members = await memberInputs(trx, ctx, row.members);
    for (const m of members) people.add(m.person.id);
    await writeMembers(trx, { ...household, id: household.id, district }, members, new Date());
  }
  if (taken.has('members') || taken.has('number'))
    await trx
      .updateTable('household')
      .set((eb) => ({
        ...(taken.has('number') ? { number: row.number ?? null } : {}),
        version: eb('version', '+', 1),
        updatedAt: new Date(),
      }))
      .where('district', '=', district)
      .where('id', '=', household.id)
      .execute();
  if (tagged && taken.has(tagged.claim.field)) await tagged.apply();
  return settleRow(trx, ctx, { target, created: false, people: [...people] }, decided, claims);
}

export const householdsImport: ImportKind = {
  kind: HOUSEHOLDS_KIND,
  fields: ARCHIVE_HOUSEHOLD_FIELDS,
  keyField: 'address',
  uniqueKey: normalizeSearchText,
  codes: (db, district) => sourceCodes(db, district, 'household'),
  async write(ctx, record) {
    const day = today();
    const row = readRow(record, day);
    const source = await rowSource(ctx, record, day);
    const tag = await tagOfRow(ctx.db, record, 'household');
    try {
      return await ctx.db.transaction().execute(async (trx) => {
        const household = await trx
          .selectFrom('household')
          .select(['id', 'unitId', 'unitPath', 'address', 'number'])
          .select(sql<string>`(updated_at at time zone 'Asia/Shanghai')::date::text`.as('changedOn'))
          .where('district', '=', ctx.run.district)
          .where(sql`archive_normalize(address)`, '=', sql`archive_normalize(${row.address})`)
          .where('dissolvedAt', 'is', null)
          .orderBy('createdAt')
          .limit(1)
          .forUpdate()
          .executeTakeFirst();
        return household
          ? updateHouseholdFromRow(trx, ctx, row, source, tag, household)
          : createHouseholdFromRow(trx, ctx, row, source, tag);
      });
    } catch (error) {
      throw headViolation(error) ?? error;
    }
  },
};
