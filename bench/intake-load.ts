/**
 * The intake benchmark's load generator, a process of its own (`node --import tsx bench/intake-load.ts`,
 * started by bench/intake.ts with an IPC channel): it receives one job, writes its reports, sends them
 * over keep-alive connections at a fixed concurrency, answers with what it counted and exits.
 *
 * Reports alternate between the two people who report: a grid worker's patrol report (POST /api/cases
 * with the worker's session and CSRF token, a point in one of the worker's unit grids) and a resident's
 * report from the public page, which first asks for nearby open cases of the same kind
 * (POST /api/public/duplicates, as the page does before it sends) and then reports
 * (POST /api/public/cases), from an address of its own (X-Forwarded-For: the server stands behind a
 * proxy, as in production). Texts, places and categories vary as the demo history writes them. Against
 * the baseline every report is one POST /report of the same body.
 */
import { realpathSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { randomPlace, reportText, topicOf } from '../server/seed/history/texts.js';
import { createRng, type Rng, WeightedPicker } from '../server/seed/random.js';
import { SpatialIndex } from '../server/territory/geo/spatial-index.js';
import type { LoadCategory, LoadGrid } from './intake-world.js';

export interface LoadJob {
  target: 'intake' | 'baseline';
  /** http://127.0.0.1:port */
  url: string;
  concurrency: number;
  /** Send this many reports … */
  count?: number;
  /** … or keep sending for this long. */
  durationMs?: number;
  /** Seeds the reports; distinct per job so that texts and places differ from run to run. */
  seed: number;
  grids: LoadGrid[];
  categories: LoadCategory[];
  /** Per grid worker: the session cookie and CSRF token (intake only). */
  sessions: { cookie: string; csrf: string }[];
  /** Answer with the id of every case acknowledged (the crash benchmark looks each one up). */
  collect?: boolean;
}

export interface LoadResult {
  reports: number;
  /** Reports answered 2xx with a new case (intake) or a written row (baseline). */
  acknowledged: number;
  /**
   * Reports that failed, by the failing request, its status and the catalogue's code when the answer
   * carried one ('patrol 503 DATABASE_UNAVAILABLE'; 'error' when the connection failed).
   */
  failures: Record<string, number>;
  failureSamples: string[];
  seconds: number;
  reportsPerSecond: number;
  /** Latency of a whole report (for a resident, the duplicate check and the report), ms. */
  latency: { p50: number; p95: number; p99: number; max: number };
  patrol: number;
  resident: number;
  /** Duplicate checks made, and how many listed at least one open case. */
  duplicateChecks: number;
  duplicateHits: number;
  /** With `collect`: the ids of the cases acknowledged. */
  acknowledgedIds?: string[];
}

export interface Report {
  channel: 'patrol' | 'resident';
  worker: number;
  body: Record<string, unknown>;
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '朱', '马', '胡', '郭'];

/** Writes reports: busy grids more often (⌊u²·n⌋ of a shuffled list), categories by how common their problem is. */
export function reportWriter(job: Pick<LoadJob, 'seed' | 'grids' | 'categories'>) {
  const rng = createRng(job.seed);
  const grids = rng.shuffled(job.grids);
  const index = SpatialIndex.build(grids);
  const categories = new WeightedPicker(
    job.categories.map((c) => {
      const topic = topicOf(c.nameZh, c.majorNameZh);
      return [{ ...c, topic }, topic.weight] as const;
    }),
  );
  const pointIn = (grid: LoadGrid, r: Rng): [number, number] => {
    const ring = grid.geometry.type === 'Polygon' ? grid.geometry.coordinates[0] : grid.geometry.coordinates[0]?.[0];
    const xs = (ring ?? []).map((p) => p[0]);
    const ys = (ring ?? []).map((p) => p[1]);
    for (let tries = 0; tries < 50; tries++) {
      const lng = Math.round(r.float(Math.min(...xs), Math.max(...xs)) * 1e6) / 1e6;
      const lat = Math.round(r.float(Math.min(...ys), Math.max(...ys)) * 1e6) / 1e6;
      if (index.locate(lng, lat)?.code === grid.code) return [lng, lat];
    }
    throw new Error(`no point found inside grid ${grid.code}`);
  };
  return (n: number): Report => {
    const grid = grids[Math.floor(rng.next() ** 2 * grids.length)] as LoadGrid;
    const category = categories.pick(rng);
    const channel = n % 2 === 0 ? 'patrol' : 'resident';
    const place = randomPlace(rng, grid.committee, grid.roads);
    const text = reportText(rng, category.topic, category.nameZh, channel, place);
    const [lng, lat] = pointIn(grid, rng);
    const body: Record<string, unknown> = {
      categoryCode: category.code,
      description: text.description,
      address: place.address,
      lng,
      lat,
    };
    if (channel === 'patrol') Object.assign(body, { channel, title: text.title });
    else if (rng.chance(0.6)) {
      const name = `${rng.pick(SURNAMES)}${rng.pick(['先生', '女士'])}`;
      body.contact = { name, phone: `13${String(rng.int(0, 999_999_999)).padStart(9, '0')}` };
    }
    return { channel, worker: grid.worker, body };
  };
}

export interface Answer {
  status: number;
  body: string;
}

/**
 * Requests over keep-alive connections (at most `maxSockets`): a method, a body (JSON, or bytes whose
 * content type the caller sets) and headers; the answer's status and text.
 */
export function httpClient(url: string, maxSockets: number) {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const base = new URL(url);
  return (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    new Promise<Answer>((resolve, reject) => {
      const raw = body instanceof Uint8Array;
      const payload = body === undefined ? undefined : raw ? body : Buffer.from(JSON.stringify(body));
      const req = request(
        {
          agent,
          host: base.hostname,
          port: base.port,
          path,
          method,
          headers: {
            ...(payload ? { 'content-length': payload.byteLength } : {}),
            ...(payload && !raw ? { 'content-type': 'application/json' } : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
}

function poster(url: string, concurrency: number) {
  const http = httpClient(url, concurrency);
  return (path: string, body: unknown, headers: Record<string, string> = {}) => http('POST', path, body, headers);
}

/** ' CODE' of a catalogue error answer, else ''. */
export function codeOf(body: string): string {
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? ` ${code}` : '';
  } catch {
    return '';
  }
}

const percentile = (sorted: Float64Array, p: number) =>
  Math.round((sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0) * 100) / 100;

/** Runs the job; `onStart` is called when the clock starts (the reports are written by then). */
export async function runLoad(job: LoadJob, onStart?: () => void): Promise<LoadResult> {
  const write = reportWriter(job);
  const post = poster(job.url, job.concurrency);
  const total = job.count ?? Number.POSITIVE_INFINITY;
  // Reports are written before the clock starts, so that writing them is not measured.
  // A timed run gets enough for 800 reports/s (past what this pipeline does on a small machine) and
  // starts again from the first only beyond that.
  const planned = Number.isFinite(total) ? total : Math.max(2_000, Math.ceil(((job.durationMs ?? 0) / 1000) * 800));
  const reports = Array.from({ length: planned }, (_, n) => write(n));
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  const failureSamples: string[] = [];
  const counts = { acknowledged: 0, patrol: 0, resident: 0, duplicateChecks: 0, duplicateHits: 0 };
  const acknowledgedIds: string[] = [];
  const fail = (what: string, sample: string) => {
    const key = `${what}${codeOf(sample)}`;
    failures[key] = (failures[key] ?? 0) + 1;
    if (failureSamples.length < 5) failureSamples.push(`${key}: ${sample.slice(0, 300)}`);
  };
  const acknowledge = (answer: Answer) => {
    counts.acknowledged++;
    if (job.collect) acknowledgedIds.push((JSON.parse(answer.body) as { id: string }).id);
  };

  async function send(n: number, report: Report): Promise<void> {
    if (job.target === 'baseline') {
      const answer = await post('/report', report.body);
      if (answer.status === 201) counts.acknowledged++;
      else fail(String(answer.status), answer.body);
      return;
    }
    if (report.channel === 'patrol') {
      const session = job.sessions[report.worker];
      if (!session) throw new Error(`no session for grid worker ${report.worker}`);
      const answer = await post('/api/cases', report.body, { cookie: session.cookie, 'x-csrf-token': session.csrf });
      if (answer.status === 201) acknowledge(answer);
      else fail(`patrol ${answer.status}`, answer.body);
      return;
    }
    // A resident of their own address: 10.x.y.z from the job's seed and the report's number.
    const address = (job.seed * 1_000_003 + n) % 16_777_216;
    const from = { 'x-forwarded-for': `10.${address >> 16}.${(address >> 8) & 255}.${address & 255}` };
    const check = await post(
      '/api/public/duplicates',
      {
        categoryCode: report.body.categoryCode,
        lng: report.body.lng,
        lat: report.body.lat,
        text: report.body.description,
      },
      from,
    );
    counts.duplicateChecks++;
    if (check.status !== 200) return fail(`duplicates ${check.status}`, check.body);
    if ((JSON.parse(check.body) as { items: unknown[] }).items.length > 0) counts.duplicateHits++;
    const answer = await post('/api/public/cases', report.body, from);
    if (answer.status === 201) acknowledge(answer);
    else fail(`resident ${answer.status}`, answer.body);
  }

  let next = 0;
  onStart?.();
  const started = performance.now();
  const until = job.durationMs === undefined ? Number.POSITIVE_INFINITY : started + job.durationMs;
  async function worker(): Promise<void> {
    while (next < total && performance.now() < until) {
      const n = next++;
      const report = reports[n % reports.length] as Report;
      counts[report.channel]++;
      const begun = performance.now();
      try {
        await send(n, report);
      } catch (error) {
        fail('error', String(error));
      }
      latencies.push(performance.now() - begun);
    }
  }
  await Promise.all(Array.from({ length: job.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return {
    reports: next,
    ...counts,
    failures,
    failureSamples,
    ...(job.collect ? { acknowledgedIds } : {}),
    seconds: Math.round(seconds * 100) / 100,
    reportsPerSecond: Math.round((counts.acknowledged / seconds) * 10) / 10,
    latency: {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: percentile(sorted, 100),
    },
  };
}

// Started by bench/intake.ts (fork, with an IPC channel): one job in, one result out.
if (process.send && process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  process.once('message', (job: LoadJob) => {
    runLoad(job, () => process.send?.({ started: true })).then(
      (result) => process.send?.({ result }, () => process.exit(0)),
      (error: unknown) => process.send?.({ error: String(error) }, () => process.exit(1)),
    );
  });
}
