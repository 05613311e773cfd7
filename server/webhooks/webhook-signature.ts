/**
 * The signature of a delivery (after Stripe's scheme): `X-Gridloop-Signature: t=<unix seconds>,v1=<hex>`
 * where the hex is HMAC-SHA256 over `<t>.<raw body>` keyed by the subscription's secret. The time is
 * signed, so a receiver that refuses old times cannot be fed a captured request again. During the
 * day after a rotation a second `v1=` carries the signature under the previous secret.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-gridloop-signature';
/** How far from now a receiver should accept `t` (docs/webhooks.md uses the same figure). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** `whsec_` + 43 base64url characters (256 random bits). */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

export function signPayload(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The header value: the current secret first, then any other still in force. */
export function signatureHeader(secrets: string[], timestamp: number, body: string): string {
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${signPayload(s, timestamp, body)}`)].join(',');
}

/**
 * What a receiver does (the docs show the same steps): parse, refuse a time outside the tolerance,
 * compare every v1 in constant time. Used by the tests as a receiver would use it.
 */
export function verifySignature(
  secret: string,
  header: string | undefined,
  body: string,
  options: { now?: Date; toleranceSeconds?: number } = {},
): boolean {
  if (!header) return false;
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t)) return false;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - t) > (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(signPayload(secret, t, body), 'hex');
  return parts
    .filter(([k, v]) => k === 'v1' && v && /^[0-9a-f]{64}$/.test(v))
    .some(([, v]) => timingSafeEqual(Buffer.from(v ?? '', 'hex'), expected));
}
