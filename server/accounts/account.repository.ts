import type { Db, Trx } from '../db/database.js';
import { pathInScope } from '../policies/scope.js';
import { type Grant, loadGrants } from './actor.js';

export interface AccountRecord {
  id: string;
  username: string;
  displayName: string;
  phone: string | null;
  disabled: boolean;
  lockedUntil: Date | null;
  createdAt: Date;
  grants: Grant[];
  grantPaths: string[];
}

const columns = ['id', 'username', 'displayName', 'phone', 'disabled', 'lockedUntil', 'createdAt'] as const;

async function withGrants(
  db: Db | Trx,
  rows: Omit<AccountRecord, 'grants' | 'grantPaths'>[],
): Promise<AccountRecord[]> {
  return Promise.all(
    rows.map(async (row) => {
      const grants = await loadGrants(db as Db, row.id);
      return { ...row, createdAt: new Date(row.createdAt), grants, grantPaths: grants.map((g) => g.unitPath) };
    }),
  );
}

/** Accounts holding at least one grant inside the scope, by username. */
export async function listAccountsInScope(db: Db, scope: readonly string[], limit = 500): Promise<AccountRecord[]> {
  const rows = await db
    .selectFrom('account')
    .select(columns)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('accountGrant as g')
          .select('g.id')
          .whereRef('g.accountId', '=', 'account.id')
          .where((inner) => pathInScope(inner, 'g.unitPath', scope)),
      ),
    )
    .orderBy('username')
    .limit(limit)
    .execute();
  return withGrants(db, rows);
}

export async function findAccount(db: Db | Trx, id: string): Promise<AccountRecord | undefined> {
  const row = await db.selectFrom('account').select(columns).where('id', '=', id).executeTakeFirst();
  return row ? (await withGrants(db, [row]))[0] : undefined;
}
