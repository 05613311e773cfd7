import type { Db, Trx } from '../db/database.js';

/** Departments with the units they serve and are deployed to, ordered by level then code. */
export function selectDepartments(db: Db | Trx) {
  return db
    .selectFrom('department as d')
    .innerJoin('unit as s', 's.id', 'd.servesUnitId')
    .leftJoin('unit as t', 't.id', 'd.deployedToUnitId')
    .select([
      'd.id',
      'd.code',
      'd.name',
      'd.kind',
      'd.level',
      'd.servesPath',
      'd.disabled',
      's.id as servesId',
      's.code as servesCode',
      's.name as servesName',
      's.level as servesLevel',
      't.id as deployedId',
      't.code as deployedCode',
      't.name as deployedName',
      't.level as deployedLevel',
    ])
    .orderBy('d.level')
    .orderBy('d.code');
}

export type DepartmentRow = Awaited<ReturnType<ReturnType<typeof selectDepartments>['executeTakeFirstOrThrow']>>;
