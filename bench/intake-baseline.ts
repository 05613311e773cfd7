/**
 * The intake benchmark's baseline, a server process of its own (`node --import tsx bench/intake-baseline.ts`
 * with DATABASE_URL, PORT and BENCH_UNIT_PATH): bare Fastify (no plugins, no schemas, no logging) whose
 * one route, POST /report, takes the same JSON body as a report and writes one row of a case's size —
 * the same columns filled with values of the same kind — into `bench_intake_row` (shaped like `cases`,
 * a primary key, no other index, no trigger) with one INSERT, on a pool as large as `gridloop serve`'s,
 * in the same database with the same synchronous commit. What it cannot beat is what HTTP, JSON and a
 * durable commit cost on this machine.
 */
import { randomInt } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';

interface ReportBody {
  channel?: string;
  categoryCode: string;
  title?: string;
  description: string;
  address?: string;
  lng?: number;
  lat?: number;
  contact?: { name?: string; phone?: string };
}

const DISTRICT = '310104';
// Fixed stand-ins for what the real pipeline looks up (category, unit grid): same types, same sizes.
const CATEGORY_ID = uuidv7();
const UNIT_ID = uuidv7();
const UNIT_PATH = process.env.BENCH_UNIT_PATH ?? '';
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20, application_name: 'bench-baseline' });
const app = Fastify({ logger: false });
let serial = 0;

app.get('/health', async () => ({ ok: true }));

app.post('/report', async (request, reply) => {
  const b = request.body as ReportBody;
  const id = uuidv7();
  const now = new Date();
  const day = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
  serial += 1;
  const number = `${DISTRICT}-${day}-${String(serial).padStart(5, '0')}`;
  const trackingCode = Array.from({ length: 10 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
  const staff = b.channel !== undefined;
  const dueAt = new Date(now.getTime() + 3_600_000);
  await pool.query(
    `insert into bench_intake_row (district, id, number, tracking_code, state, channel, category_id, urgency, title,
       description, address, lng, lat, unit_id, unit_path, reporter_kind, reporter_account_id, reporter_name,
       reporter_phone, stage, stage_unit, stage_started_at, due_at, counters, created_at, updated_at)
     values ($1, $2, $3, $4, 'reported', $5, $6, 'normal', $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
       'register', 'working', $18, $19, '{}', $18, $18)`,
    [
      DISTRICT,
      id,
      number,
      trackingCode,
      b.channel ?? 'resident',
      CATEGORY_ID,
      b.title ?? b.description.slice(0, 40),
      b.description,
      b.address ?? null,
      b.lng ?? null,
      b.lat ?? null,
      UNIT_ID,
      UNIT_PATH,
      staff ? 'staff' : 'anonymous',
      staff ? UNIT_ID : null,
      b.contact?.name ?? null,
      b.contact?.phone ?? null,
      now,
      dueAt,
    ],
  );
  return reply.status(201).send({ id, number, trackingCode, created: true });
});

const stop = async () => {
  await app.close();
  await pool.end();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());

await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
