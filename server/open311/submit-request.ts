/**
 * POST requests: an Open311 request becomes a case of the channel `open311`, reported through the
 * workflow's own report command (placement in its grid, number, tracking code, first event, clock,
 * notices, audit), with what Open311 carries beyond a case — the answers, the media URL, the
 * address id and the sender's contact fields — written in the same transaction.
 *
 * Checked first, writing nothing when wrong: the service (404), the answers (400), the location
 * (lat and long together, inside the jurisdiction; else an address), the lengths the spec sets.
 */
import type { Answers } from '../../common/catalogue.js';
import type { SystemActor } from '../cases/case.policy.js';
import { answerLines, checkAnswers, withExtraLines } from '../cases/catalogue/answers.js';
import { reportCase } from '../cases/commands/report-case.js';
import { requestHash } from '../cases/report-requests.js';
import type { Db } from '../db/database.js';
import { AppError, type FieldProblem } from '../http/app-error.js';
import type { MachineKeyRow } from '../intake/machine-keys.js';
import type { GridLocator } from '../territory/placement.js';
import type { Jurisdiction } from './jurisdiction.js';
import { findService, type Lang, serviceName, serviceNotice } from './services.js';

export interface SubmitContext {
  db: Db;
  locator: GridLocator;
  requestId?: string | undefined;
  ip?: string | undefined;
}

/** The form's fields by their Open311 names, as sent (strings; absent or empty = not given). */
export interface SubmitFields {
  service_code?: string | undefined;
  lat?: string | undefined;
  long?: string | undefined;
  address_string?: string | undefined;
  address_id?: string | undefined;
  email?: string | undefined;
  device_id?: string | undefined;
  account_id?: string | undefined;
  first_name?: string | undefined;
  last_name?: string | undefined;
  phone?: string | undefined;
  description?: string | undefined;
  media_url?: string | undefined;
}

export interface SubmitAnswer {
  caseId: string;
  serviceNotice: string | null;
  accountId: string | null;
}

/** Longest accepted value of each free field (description: the spec's 4,000 characters). */
const MAX_LENGTH: Partial<Record<keyof SubmitFields, number>> = {
  address_string: 500,
  address_id: 100,
  email: 200,
  device_id: 200,
  account_id: 200,
  first_name: 50,
  last_name: 50,
  phone: 40,
  description: 4_000,
  media_url: 2_000,
};

const DECIMAL = /^[+-]?\d{1,3}(\.\d+)?$/;

const given = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

function checkFields(fields: SubmitFields): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [name, max] of Object.entries(MAX_LENGTH) as [keyof SubmitFields, number][]) {
    const value = given(fields[name]);
    if (value && value.length > max) problems.push({ path: name, reason: `longer than ${max} characters` });
  }
  const email = given(fields.email);
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    problems.push({ path: 'email', reason: 'not an e-mail address' });
  const media = given(fields.media_url);
  if (media && !URL.canParse(media)) problems.push({ path: 'media_url', reason: 'not a URL' });
  else if (media && !/^https?:$/.test(new URL(media).protocol))
    problems.push({ path: 'media_url', reason: 'an http or https URL' });
  return problems;
}

/** lat and long as numbers, both or neither; a coded 400 for one alone or a value that is not a coordinate. */
function point(fields: SubmitFields): { lng: number; lat: number } | undefined {
  const lat = given(fields.lat);
  const long = given(fields.long);
  if (lat === undefined && long === undefined) return undefined;
  if (lat === undefined || long === undefined) {
    throw new AppError('OPEN311_PARAMETER_INVALID', {
      fields: [{ path: lat === undefined ? 'lat' : 'long', reason: 'lat and long are sent together' }],
    });
  }
  const problems: FieldProblem[] = [];
  const [y, x] = [Number(lat), Number(long)];
  if (!DECIMAL.test(lat) || Math.abs(y) > 90) problems.push({ path: 'lat', reason: 'degrees from -90 to 90 (WGS84)' });
  if (!DECIMAL.test(long) || Math.abs(x) > 180)
    problems.push({ path: 'long', reason: 'degrees from -180 to 180 (WGS84)' });
  if (problems.length) throw new AppError('OPEN311_PARAMETER_INVALID', { fields: problems });
  return { lng: x, lat: y };
}

/** A point must lie in the jurisdiction: in one of its grids, or (between grids) within its extent. */
async function checkInside(ctx: SubmitContext, jurisdiction: Jurisdiction, at: { lng: number; lat: number }) {
  const grid = await ctx.locator.locate(at.lng, at.lat);
  const box = jurisdiction.box;
  const inside = grid
    ? grid.path.startsWith(jurisdiction.path)
    : Boolean(box && at.lng >= box.minLng && at.lng <= box.maxLng && at.lat >= box.minLat && at.lat <= box.maxLat);
  if (!inside) {
    throw new AppError('OPEN311_LOCATION_OUTSIDE', {
      fields: [{ path: 'lat,long', reason: `not in jurisdiction ${jurisdiction.id}` }],
    });
  }
}

/** The sender's name as a person writes it: family name first for Chinese names. */
function personName(first: string | undefined, last: string | undefined): string | undefined {
  if (!first && !last) return undefined;
  const chinese = /[\u4e00-\u9fff]/.test(`${first ?? ''}${last ?? ''}`);
  return chinese ? `${last ?? ''}${first ?? ''}` : [first, last].filter(Boolean).join(' ');
}

export async function submitRequest(
  ctx: SubmitContext,
  key: MachineKeyRow,
  jurisdiction: Jurisdiction,
  fields: SubmitFields,
  answers: Answers,
  lang: Lang,
  /** The sender's Idempotency-Key (an extension of the spec): a retry answers the first request's case. */
  idempotencyKey?: string | undefined,
): Promise<SubmitAnswer> {
  const code = given(fields.service_code);
  if (!code) throw new AppError('OPEN311_SERVICE_REQUIRED', { fields: [{ path: 'service_code', reason: 'required' }] });
  const service = /^\d{4}$/.test(code) ? await findService(ctx.db, code) : undefined;
  if (!service) throw new AppError('OPEN311_SERVICE_UNKNOWN', { fields: [{ path: 'service_code', reason: code }] });

  const fieldProblems = checkFields(fields);
  if (fieldProblems.length) throw new AppError('OPEN311_PARAMETER_INVALID', { fields: fieldProblems });
  const checked = checkAnswers(service.questions, answers);
  if (checked.problems.length) throw new AppError('OPEN311_ATTRIBUTE_INVALID', { fields: checked.problems });

  const at = point(fields);
  const addressString = given(fields.address_string);
  const addressId = given(fields.address_id);
  if (!at && !addressString && !addressId) {
    throw new AppError('OPEN311_LOCATION_REQUIRED', {
      fields: [{ path: 'lat,long|address_string|address_id', reason: 'one of them is required' }],
    });
  }
  if (at) await checkInside(ctx, jurisdiction, at);

  const mediaUrl = given(fields.media_url);
  const extra = answerLines(service.questions, checked.answers);
  if (mediaUrl) extra.push(`图片 Media: ${mediaUrl}`);
  const description = withExtraLines(given(fields.description) ?? serviceName(service, 'zh'), extra);

  const actor: SystemActor = { kind: 'system', id: null, name: `open311:${key.name}` };
  const reported = await reportCase(
    { db: ctx.db, locator: ctx.locator, actor, requestId: ctx.requestId, ip: ctx.ip },
    {
      channel: 'open311',
      categoryCode: service.code,
      urgency: 'normal',
      description,
      address: addressString ?? (addressId ? `地址编号 address_id ${addressId}` : undefined),
      lng: at?.lng,
      lat: at?.lat,
      reporter: {
        kind: 'anonymous',
        name: personName(given(fields.first_name), given(fields.last_name)),
        phone: given(fields.phone),
      },
      withinPath: jurisdiction.path,
      idempotency: idempotencyKey
        ? { owner: `machine:${key.id}`, key: idempotencyKey, requestHash: requestHash({ fields, answers }) }
        : undefined,
      alsoWrite: async (trx, c) => {
        await trx
          .insertInto('open311Request')
          .values({
            district: c.district,
            caseId: c.id,
            machineKeyId: key.id,
            attributes: JSON.stringify(checked.answers),
            mediaUrl: mediaUrl ?? null,
            addressId: addressId ?? null,
            email: given(fields.email) ?? null,
            deviceId: given(fields.device_id) ?? null,
            accountId: given(fields.account_id) ?? null,
          })
          .execute();
        await trx.updateTable('machineKey').set({ lastUsedAt: new Date() }).where('id', '=', key.id).execute();
      },
    },
  );
  return {
    caseId: reported.id,
    serviceNotice: serviceNotice(service, lang),
    accountId: given(fields.account_id) ?? null,
  };
}
