/**
 * Where a webhook may point, and the one POST that reaches it. A subscription's URL is chosen by an
 * administrator, so it must not become a way into the server's own network (SSRF): https only; no
 * user name or password in it; and no address that is private, loopback, link-local, shared,
 * multicast or reserved — checked on the literal address when the URL is saved, and on every
 * address the name resolves to when a delivery connects (so a name that later resolves inward,
 * DNS rebinding, is still refused). `GRIDLOOP_WEBHOOK_ALLOW_PRIVATE=1` (tests, development) lifts
 * the address rule and also admits plain http to this machine (localhost, 127.0.0.1, [::1]).
 * Redirects are not followed: a 3xx is a failed attempt.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 96], // unspecified, loopback and IPv4-compatible
  ['64:ff9b::', 96], // NAT64: the same
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv6');
}
// IPv4-mapped IPv6 (::ffff:a.b.c.d) needs no rule of its own: BlockList checks it against the IPv4 rules.

/** True for an address a webhook may not reach unless private targets are allowed. */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return BLOCKED.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

const LOOPBACK_NAMES = /^(localhost|.*\.localhost)$/i;
const bare = (hostname: string) => hostname.replace(/^\[|\]$/g, '');

export interface TargetProblem {
  code: 'WEBHOOK_URL_INVALID' | 'WEBHOOK_URL_FORBIDDEN';
  reason: string;
}

/** Why a URL cannot be a webhook's target, or null when it can (names are resolved only when sending). */
export function checkTargetUrl(raw: string, allowPrivate: boolean): TargetProblem | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { code: 'WEBHOOK_URL_INVALID', reason: 'not an absolute URL' };
  }
  const host = bare(url.hostname);
  const loopback = LOOPBACK_NAMES.test(host) || (isIP(host) !== 0 && /^(127\.|::1$)/.test(host));
  if (url.protocol === 'http:' && !(allowPrivate && loopback))
    return { code: 'WEBHOOK_URL_INVALID', reason: 'https only (http only to this machine, when allowed)' };
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { code: 'WEBHOOK_URL_INVALID', reason: 'https only' };
  if (url.username || url.password) return { code: 'WEBHOOK_URL_INVALID', reason: 'no user name or password' };
  if (url.hash) return { code: 'WEBHOOK_URL_INVALID', reason: 'no #fragment' };
  if (!allowPrivate && (LOOPBACK_NAMES.test(host) || (isIP(host) !== 0 && isBlockedAddress(host))))
    return { code: 'WEBHOOK_URL_FORBIDDEN', reason: 'a private, loopback or reserved address' };
  return null;
}

/** A refused connection: the name resolved to an address a webhook may not reach. */
export class BlockedAddressError extends Error {
  constructor(address: string) {
    super(`blocked address ${address} (private, loopback or reserved)`);
    this.name = 'BlockedAddressError';
  }
}

/** A DNS lookup for http.request that refuses the connection if any address found is blocked. */
function guardedLookup(): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const blocked = addresses.find((a) => isBlockedAddress(a.address));
      if (blocked || addresses.length === 0)
        return callback(new BlockedAddressError(blocked?.address ?? hostname), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}

export interface PostResult {
  status: number;
  /** The first bytes of the answer, for the delivery log. */
  excerpt: string;
}

const EXCERPT_BYTES = 300;

/** POSTs a JSON body; resolves with the status (any), rejects on a network failure, a block or the timeout. */
export function postJson(
  target: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; allowPrivate: boolean },
): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    const url = new URL(target);
    const host = bare(url.hostname);
    if (!options.allowPrivate && isIP(host) !== 0 && isBlockedAddress(host)) {
      reject(new BlockedAddressError(host));
      return;
    }
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
      signal: AbortSignal.timeout(options.timeoutMs),
      ...(options.allowPrivate ? {} : { lookup: guardedLookup() }),
    });
    request.on('error', (error) =>
      reject(error.name === 'AbortError' ? new Error(`timed out after ${options.timeoutMs} ms`) : error),
    );
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () => {
        resolve({
          status: response.statusCode ?? 0,
          excerpt: Buffer.concat(chunks).toString('utf8').slice(0, EXCERPT_BYTES),
        });
        response.destroy();
      };
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        // Enough for the log: the rest of a large answer is never read.
        if (size >= EXCERPT_BYTES) finish();
      });
      response.on('end', finish);
      response.on('error', finish);
    });
    request.end(body);
  });
}
