/**
 * Finding people within scope: exact ID number, any part of a Chinese name, pinyin initials and
 * full pinyin, address (the person's or their household's), tag; masked, paged; one audit row per
 * search naming the people listed. And the plan of an exact lookup: an index probe.
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PersonSummary } from '../../common/archive.js';
import type { Db } from '../db/database.js';
import { createTestApp, createTestDatabase } from '../test/harness.js';
import { type ArchiveWorld, filePerson, idNumberFor, makeArchiveWorld } from './archive-fixtures.js';
import { nameKeysContain, pathKey } from './person.repository.js';

let db: Db;
let app: FastifyInstance;
let w: ArchiveWorld;
const ids = new Map<string, string>();
const numbers = new Map<string, string>();

type Page = { items: PersonSummary[]; total: number };

const names = (page: Page) => page.items.map((p) => p.name).sort();

describe('finding people', () => {
  beforeAll(async () => {
    db = (await createTestDatabase()).db;
    app = await createTestApp(db);
    w = await makeArchiveWorld(db, app);
    const grid0 = w.unit(w.t.grids[0]).id;
    const grid1 = w.unit(w.t.grids[1]).id;
    const grid2 = w.unit(w.t.grids[2]).id;
    const rows: [string, string, string, string][] = [
      ['张伟', grid0, '19800101', '梧桐路12弄3号'],
      ['张伟华', grid0, '19810202', '梧桐路12弄5号'],
      ['章薇', grid0, '19820303', '银杏路8号'],
      ['单田芳', grid1, '19340101', '梧桐路20号'],
      ['曾小贤', grid1, '19750505', '银杏路1号'],
      ['阿依古丽·买买提', grid2, '19990909', '香樟路7号'],
    ];
    for (const [name, unitId, birth, address] of rows) {
      const idNumber = idNumberFor(birth);
      numbers.set(name, idNumber);
      ids.set(name, await filePerson(w.admin, { name, unitId, idNumber, address }));
    }
    const tagged = await w.admin.request('POST', `/api/archive/people/${ids.get('单田芳')}/tags`, {
      tagType: 'elderly_alone',
      validFrom: '2020-01-01',
    });
    expect(tagged.statusCode).toBe(201);
  });

  const search = async (query: string, client = w.admin) => {
    const res = await client.request('GET', `/api/archive/people?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Page;
  };

  it('finds any part of a Chinese name', async () => {
    expect(names(await search(`q=${encodeURIComponent('张伟')}`))).toEqual(['张伟', '张伟华']);
    expect(names(await search(`q=${encodeURIComponent('伟华')}`))).toEqual(['张伟华']);
    expect(names(await search(`q=${encodeURIComponent('薇')}`))).toEqual(['章薇']);
    expect(names(await search(`q=${encodeURIComponent('古丽')}`))).toEqual(['阿依古丽·买买提']);
    expect(names(await search(`q=${encodeURIComponent('李')}`))).toEqual([]);
  });

  it('finds by pinyin initials and by full pinyin, surnames read as surnames', async () => {
    expect(names(await search('q=zw'))).toEqual(['张伟', '张伟华', '章薇']);
    expect(names(await search('q=ZWH'))).toEqual(['张伟华']);
    // 章薇 reads zhangwei too: pinyin finds by sound.
    expect(names(await search('q=zhangwei'))).toEqual(['张伟', '张伟华', '章薇']);
    expect(names(await search('q=zhangweih'))).toEqual(['张伟华']);
    // 单 as a surname is shan, 曾 is zeng.
    expect(names(await search('q=stf'))).toEqual(['单田芳']);
    expect(names(await search('q=shantian'))).toEqual(['单田芳']);
    expect(names(await search('q=zengx'))).toEqual(['曾小贤']);
  });

  it('looks an ID number up exactly, and refuses an invalid one', async () => {
    const number = numbers.get('章薇') ?? '';
    const found = await search(`idNumber=${number.toLowerCase()}`);
    expect(found.items.map((p) => p.id)).toEqual([ids.get('章薇')]);
    expect(found.total).toBe(1);
    expect(await search(`idNumber=${number}&pageSize=1`)).toMatchObject({ total: 1 });
    expect(found.items[0]?.idNumber).toBe(`${number.slice(0, 6)}********${number.slice(14)}`);
    const bad = await w.admin.request(
      'GET',
      `/api/archive/people?idNumber=${number.slice(0, 17)}${number[17] === '1' ? '2' : '1'}`,
    );
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('ARCHIVE_ID_NUMBER_INVALID');
  });

  it('finds by address and by tag', async () => {
    expect(names(await search(`address=${encodeURIComponent('梧桐路12弄')}`))).toEqual(['张伟', '张伟华']);
    expect(names(await search(`address=${encodeURIComponent('银杏')}`))).toEqual(['曾小贤', '章薇']);
    expect(names(await search('tag=elderly_alone'))).toEqual(['单田芳']);
    const page = await search('tag=elderly_alone');
    expect(page.items[0]?.tags).toEqual([
      { code: 'elderly_alone', nameZh: '独居老人', nameEn: 'Elderly living alone' },
    ]);
  });

  it('stays within scope: a grid worker finds only their grid; a committee its community', async () => {
    expect(names(await search('q=zw', w.gridB))).toEqual([]);
    expect(names(await search(`address=${encodeURIComponent('梧桐路')}`, w.gridB))).toEqual(['单田芳']);
    expect(names(await search(`idNumber=${numbers.get('张伟')}`, w.gridB))).toEqual([]);
    expect(names(await search('', w.committee))).toEqual(['单田芳', '张伟', '张伟华', '曾小贤', '章薇']);
    expect(names(await search('', w.committeeOther))).toEqual(['阿依古丽·买买提']);
    expect((await search('', w.dispatcher)).total).toBe(0);
  });

  it('finds a name only among the people of the scope, and of the unit asked for', async () => {
    const zhangWei = encodeURIComponent('张伟');
    expect(names(await search(`q=${zhangWei}`, w.gridA))).toEqual(['张伟', '张伟华']);
    expect(names(await search(`q=${zhangWei}`, w.gridB))).toEqual([]);
    expect(names(await search(`q=${zhangWei}`, w.committeeOther))).toEqual([]);
    expect(names(await search(`q=${encodeURIComponent('伟')}`, w.committee))).toEqual(['张伟', '张伟华']);
    const grid1 = w.unit(w.t.grids[1]).id;
    expect(names(await search(`q=${zhangWei}&unitId=${grid1}`, w.committee))).toEqual([]);
    expect(names(await search(`q=${encodeURIComponent('单')}&unitId=${grid1}`, w.committee))).toEqual(['单田芳']);
  });

  it('keys each person by every level of their unit path', async () => {
    const { rows } = await sql<{ keys: string[] }>`select archive_path_keys('310105.001.002.') as keys`.execute(db);
    expect(rows[0]?.keys).toEqual(['u:310105.', 'u:310105.001.', 'u:310105.001.002.']);
    const person = await db
      .selectFrom('person')
      .select(['unitPath', sql<string[]>`name_grams || archive_path_keys(unit_path)`.as('keys')])
      .where('id', '=', ids.get('张伟华') ?? '')
      .executeTakeFirstOrThrow();
    expect(person.keys).toEqual(expect.arrayContaining(['张伟', '伟华', pathKey(person.unitPath)]));
  });

  it('searches a name in a scope through the index of names and places', async () => {
    const path = w.unit(w.t.grids[0]).path;
    const plan = await db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      const { rows } = await sql<Record<string, string>>`explain select id from person p
        where ${nameKeysContain(['张伟', pathKey(path)])}`.execute(trx);
      return rows.map((r) => Object.values(r)[0]).join('\n');
    });
    expect(plan).toMatch(/Bitmap Index Scan on person_name_scope_idx/);
  });

  it('pages, and narrows to a unit', async () => {
    const first = await search('pageSize=2&page=1');
    const second = await search('pageSize=2&page=2');
    expect(first.total).toBe(6);
    expect(first.items).toHaveLength(2);
    expect(new Set([...first.items, ...second.items].map((p) => p.id)).size).toBe(4);
    expect(names(await search(`unitId=${w.unit(w.t.grids[1]).id}`))).toEqual(['单田芳', '曾小贤']);
  });

  it('writes one audit row per search naming the people listed, the ID number masked', async () => {
    await search(`idNumber=${numbers.get('张伟')}`, w.gridA);
    const row = await db
      .selectFrom('auditLog')
      .select(['action', 'data'])
      .where('action', '=', 'archive.read')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(row.data).toMatchObject({ via: 'lookup', people: [ids.get('张伟')] });
    expect(JSON.stringify(row.data)).not.toContain(numbers.get('张伟'));
  });

  it('looks an ID number up with the unique index (the plan the benchmark measures)', async () => {
    // A handful of rows would be read whole anyway; with sequential scans off the plan shows the index fits.
    const plan = await db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      const { rows } = await sql<
        Record<string, string>
      >`explain select id from person where id_number = ${numbers.get('张伟')}`.execute(trx);
      return rows.map((r) => Object.values(r)[0]).join('\n');
    });
    expect(plan).toMatch(/Index (Only )?Scan using person_id_number_idx/);
  });
});
