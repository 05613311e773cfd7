/**
 * The soak benchmark's load generator, a process of its own (`node --import tsx bench/soak-load.ts`, started
 * by bench/soak.ts with an IPC channel): one job in, one result out. For the job's duration it runs, side by
 * side and at fixed rates (a request is started on schedule, not when the last one answered, up to a cap in
 * flight), what a subdistrict's people do all day:
 *
 * - **intake**: reports as the intake benchmark writes them (bench/intake-load.ts), grid workers' patrol
 *   reports and residents' (the page's duplicate check, then the report), alternating;
 * - **transitions**: every acknowledged case walked through the loop by the roles' accounts — the dispatcher
 *   opens it, registers it and dispatches it to the handler's department; the handler acknowledges, uploads
 *   a photo and reports the handling; the case's grid worker uploads a photo and verifies, which closes it;
 * - **dashboard**: the leader's indicator panel, the ranking of the subdistrict's communities and the case
 *   map of open cases;
 * - **exports**: the dispatcher's CSV of the cases reported in the last two minutes (a filtered list).
 *
 * Every answer is timed by kind and minute; every non-2xx is kept (kind, status, code, a sample).
 */
import { realpathSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { type Answer, codeOf, httpClient, type Report, reportWriter } from './intake-load.js';
import type { LoadCategory, LoadGrid } from './intake-world.js';

export const SOAK_KINDS = [
  'report (staff)',
  'duplicate check',
  'report (public)',
  'open case',
  'transition',
  'photo upload',
  'indicator panel',
  'ranking',
  'case map',
  'export CSV',
] as const;
export type SoakKind = (typeof SOAK_KINDS)[number];

interface Session {
  cookie: string;
  csrf: string;
}

export interface SoakJob {
  url: string;
  durationMs: number;
  /** Length of a bucket of the figures (a minute; shorter in small runs). */
  bucketMs: number;
  seed: number;
  grids: LoadGrid[];
  categories: LoadCategory[];
  sessions: { workers: Session[]; dispatcher: Session; handler: Session; leader: Session };
  /** The handler's department: where the dispatcher sends every case. */
  departmentId: string;
  /** Reports started per second; dashboard rounds (panel, ranking, map) per second; one export every … ms. */
  rates: { reports: number; dashboards: number; exportEveryMs: number };
}

export interface SoakFailure {
  kind: SoakKind | 'connection';
  status: number;
  code: string;
  bucket: number;
  sample: string;
}

export interface SoakResult {
  /** Per bucket (by when the request started), per kind: the latencies in ms (0.1 ms), in the order answered. */
  latencies: Partial<Record<SoakKind, number[]>>[];
  failures: SoakFailure[];
  /** Reports sent and acknowledged; cases walked to closed; transitions taken; starts missed at the cap. */
  counts: { reports: number; acknowledged: number; closed: number; steps: number; skipped: number };
  seconds: number;
}

/** A multipart body with one small JPEG of its own (a distinct colour and size per n: content-addressed). */
async function photoForm(n: number): Promise<{ body: Uint8Array; type: string }> {
  const image = await sharp({
    create: {
      width: 64 + (n % 193),
      height: 48 + (Math.floor(n / 193) % 97),
      channels: 3,
      background: { r: n % 256, g: Math.floor(n / 256) % 256, b: 97 },
    },
  })
    .jpeg()
    .toBuffer();
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(image)], { type: 'image/jpeg' }), `photo-${n}.jpg`);
  const req = new Request('http://gridloop.bench/api/media', { method: 'POST', body: form });
  return { body: new Uint8Array(await req.arrayBuffer()), type: req.headers.get('content-type') ?? '' };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const auth = (s: Session, from: string) => ({ cookie: s.cookie, 'x-csrf-token': s.csrf, 'x-forwarded-for': from });

export async function runSoak(job: SoakJob, onStart?: () => void): Promise<SoakResult> {
  const http = httpClient(job.url, 64);
  const write = reportWriter(job);
  const latencies: Partial<Record<SoakKind, number[]>>[] = [];
  const failures: SoakFailure[] = [];
  const counts = { reports: 0, acknowledged: 0, closed: 0, steps: 0, skipped: 0 };
  const started = performance.now();
  const end = started + job.durationMs;
  const bucketOf = (t: number) => Math.floor((t - started) / job.bucketMs);

  /** Sends one request, times it under `kind`; a non-2xx is a failure (and null). */
  async function timed(kind: SoakKind, send: () => Promise<Answer>): Promise<Answer | null> {
    const begun = performance.now();
    let answer: Answer;
    try {
      answer = await send();
    } catch (error) {
      failures.push({ kind: 'connection', status: 0, code: '', bucket: bucketOf(begun), sample: String(error) });
      return null;
    }
    const bucket = bucketOf(begun);
    const row = latencies[bucket] ?? {};
    latencies[bucket] = row;
    const list = row[kind] ?? [];
    row[kind] = list;
    list.push(Math.round((performance.now() - begun) * 10) / 10);
    if (answer.status >= 200 && answer.status < 300) return answer;
    failures.push({
      kind,
      status: answer.status,
      code: codeOf(answer.body).trim(),
      bucket,
      sample: answer.body.slice(0, 300),
    });
    return null;
  }

  let photos = 0;
  /** Uploads a fresh photo as `session` from `from`; its key. */
  async function upload(session: Session, from: string): Promise<string | null> {
    const form = await photoForm(job.seed * 100_000 + photos++);
    const answer = await timed('photo upload', () =>
      http('POST', '/api/media', form.body, { ...auth(session, from), 'content-type': form.type }),
    );
    return answer ? ((JSON.parse(answer.body) as { key: string }[])[0]?.key ?? null) : null;
  }

  /** The loop of one case, step by step, each by its role; stops at the first failure (already counted). */
  async function walk(caseId: string, report: Report, n: number): Promise<void> {
    // Each case's people on their own devices (one address each, as the proxy forwards them).
    const from = `10.254.${(n >> 8) & 255}.${n & 255}`;
    const opened = await timed('open case', () =>
      http('GET', `/api/cases/${caseId}`, undefined, auth(job.sessions.dispatcher, from)),
    );
    if (!opened) return;
    let version = (JSON.parse(opened.body) as { version: number }).version;
    const step = async (session: Session, body: Record<string, unknown>) => {
      const answer = await timed('transition', () =>
        http('POST', `/api/cases/${caseId}/transitions`, { version, ...body }, auth(session, from)),
      );
      if (!answer) return false;
      version = (JSON.parse(answer.body) as { version: number }).version;
      counts.steps++;
      return true;
    };
    const { dispatcher, handler } = job.sessions;
    const worker = job.sessions.workers[report.worker];
    if (!worker) throw new Error(`no session for grid worker ${report.worker}`);
    if (!(await step(dispatcher, { action: 'register' }))) return;
    if (!(await step(dispatcher, { action: 'dispatch', departmentId: job.departmentId }))) return;
    if (!(await step(handler, { action: 'acknowledge' }))) return;
    const after = await upload(handler, from);
    if (!after) return;
    const handled = { action: 'submit_handling', reason: '已到现场处置完毕', photos: [{ key: after, role: 'after' }] };
    if (!(await step(handler, handled))) return;
    const evidence = await upload(worker, from);
    if (!evidence) return;
    if (!(await step(worker, { action: 'verify_pass', photos: [{ key: evidence, role: 'evidence' }] }))) return;
    counts.closed++;
  }

  /** One report as the intake benchmark sends it; then its case's walk. */
  async function report(n: number): Promise<void> {
    const r = write(n);
    counts.reports++;
    let answer: Answer | null;
    if (r.channel === 'patrol') {
      const s = job.sessions.workers[r.worker];
      if (!s) throw new Error(`no session for grid worker ${r.worker}`);
      answer = await timed('report (staff)', () =>
        http('POST', '/api/cases', r.body, auth(s, `10.253.${r.worker >> 8}.${r.worker & 255}`)),
      );
    } else {
      const address = (job.seed * 1_000_003 + n) % 16_777_216;
      const from = { 'x-forwarded-for': `10.${address >> 16}.${(address >> 8) & 255}.${address & 255}` };
      const { categoryCode, lng, lat, description } = r.body;
      const check = await timed('duplicate check', () =>
        http('POST', '/api/public/duplicates', { categoryCode, lng, lat, text: description }, from),
      );
      if (!check) return;
      answer = await timed('report (public)', () => http('POST', '/api/public/cases', r.body, from));
    }
    if (!answer) return;
    counts.acknowledged++;
    await walk((JSON.parse(answer.body) as { id: string }).id, r, n);
  }

  /** Starts `run(i)` every `everyMs` until the end; at most `cap` at once (a start missed is counted). */
  async function paced(everyMs: number, cap: number, run: (i: number) => Promise<void>): Promise<void> {
    const running = new Set<Promise<void>>();
    for (let i = 0; ; i++) {
      const due = started + i * everyMs;
      if (due >= end) break;
      await wait(Math.max(0, due - performance.now()));
      if (running.size >= cap) {
        counts.skipped++;
        continue;
      }
      const p = run(i).finally(() => running.delete(p));
      running.add(p);
    }
    await Promise.all(running);
  }

  const from = { leader: '10.252.0.1', dispatcher: '10.252.0.2' };
  const dashboard = async () => {
    const h = auth(job.sessions.leader, from.leader);
    await timed('indicator panel', () => http('GET', '/api/indicators?period=month', undefined, h));
    await timed('ranking', () => http('GET', '/api/indicators/ranking?period=month', undefined, h));
    await timed('case map', () =>
      http('GET', '/api/cases/map?state=reported,registered,dispatched,handling,handled', undefined, h),
    );
  };
  const exportCsv = async () => {
    const since = new Date(Date.now() - 120_000).toISOString();
    await timed('export CSV', () =>
      http(
        'POST',
        '/api/cases/export',
        { format: 'csv', filters: { since } },
        auth(job.sessions.dispatcher, from.dispatcher),
      ),
    );
  };

  onStart?.();
  await Promise.all([
    paced(1000 / job.rates.reports, 64, report),
    paced(1000 / job.rates.dashboards, 2, dashboard),
    paced(job.rates.exportEveryMs, 1, exportCsv),
  ]);
  return { latencies, failures, counts, seconds: Math.round((performance.now() - started) / 10) / 100 };
}

// Started by bench/soak.ts (fork, with an IPC channel): one job in, one result out.
if (process.send && process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  process.once('message', (job: SoakJob) => {
    runSoak(job, () => process.send?.({ started: true })).then(
      (result) => process.send?.({ result }, () => process.exit(0)),
      (error: unknown) => process.send?.({ error: String(error) }, () => process.exit(1)),
    );
  });
}
