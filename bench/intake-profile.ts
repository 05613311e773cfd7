/**
 * What the intake benchmark measures besides the clock, because the clock on a shared machine measures
 * the neighbours too: CPU time spent by a process (the Node server) and by a whole PostgreSQL cluster
 * (the postmaster with every backend, live or gone) per report, and what the server's database
 * connections were waiting for (pg_stat_activity sampled every 100 ms). Linux only (/proc); elsewhere null.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { Db } from '../server/db/database.js';
import { readPostmasterPid } from '../server/db/embedded.js';

const TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime, stime, cutime, cstime of a process in seconds (fields 14–17 of /proc/<pid>/stat). */
function times(pid: number): number[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces: the fields that follow start after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return [11, 12, 13, 14].map((i) => Number(fields[i]) / TICKS);
  } catch {
    return undefined;
  }
}

const parentOf = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
};

/** CPU seconds a process has used so far (user + system), or null off Linux. */
export function processCpu(pid: number): number | null {
  const t = times(pid);
  return t ? (t[0] ?? 0) + (t[1] ?? 0) : null;
}

/**
 * CPU seconds a cluster has used so far: the postmaster with its reaped children (backends that
 * ended) and every live child. Null off Linux or without an embedded cluster.
 */
export function clusterCpu(pgDir: string | undefined): number | null {
  const postmaster = pgDir ? readPostmasterPid(pgDir)?.pid : undefined;
  const own = postmaster ? times(postmaster) : undefined;
  if (!postmaster || !own) return null;
  let total = own.reduce((a, b) => a + b, 0);
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === postmaster) continue;
    try {
      if (parentOf(pid) !== postmaster) continue;
      const t = times(pid);
      if (t) total += (t[0] ?? 0) + (t[1] ?? 0);
    } catch {
      // gone meanwhile: its time is in the postmaster's reaped children now
    }
  }
  return total;
}

export interface WaitShare {
  /** state | wait event | the statement's first words */
  what: string;
  /** Share of the samples of busy connections, percent. */
  share: number;
}

/** Samples what the Gridloop server's connections are doing until stopped; the ten commonest, busy ones only. */
export function sampleWaits(db: Db): { stop(): Promise<WaitShare[]> } {
  const tally = new Map<string, number>();
  let total = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await sql<{ what: string }>`
        select state || ' | ' || coalesce(wait_event_type || ':' || wait_event, 'cpu') || ' | ' ||
          left(regexp_replace(query, '\\s+', ' ', 'g'), 60) as what
        from pg_stat_activity
        where application_name = 'gridloop' and state <> 'idle' and pid <> pg_backend_pid()`.execute(db);
      for (const r of rows) tally.set(r.what, (tally.get(r.what) ?? 0) + 1);
      total += rows.length;
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return [...tally]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 10)
        .map(([what, n]) => ({ what, share: Math.round((n / Math.max(1, total)) * 1000) / 10 }));
    },
  };
}
