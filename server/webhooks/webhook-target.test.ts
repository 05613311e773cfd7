/**
 * Where a webhook may point (SSRF), and the signature a receiver checks.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startReceiver } from '../test/webhook-receiver.js';
import { signatureHeader, signPayload, verifySignature } from './webhook-signature.js';
import { BlockedAddressError, checkTargetUrl, isBlockedAddress, postJson } from './webhook-target.js';

describe('webhook targets', () => {
  it('refuses private, loopback, link-local, shared and reserved addresses, and allows public ones', () => {
    for (const address of [
      '10.1.2.3',
      '127.0.0.1',
      '169.254.169.254',
      '172.20.0.1',
      '192.168.1.1',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '::1',
      '::',
      'fd00::1',
      'fe80::1',
      '::ffff:7f00:1',
      '64:ff9b::a00:1',
    ]) {
      expect(isBlockedAddress(address), address).toBe(true);
    }
    for (const address of ['93.184.216.34', '114.114.114.114', '2400:3200::1']) {
      expect(isBlockedAddress(address), address).toBe(false);
    }
  });

  it('takes https URLs to public hosts and says why it refuses the rest', () => {
    expect(checkTargetUrl('https://hooks.example.cn/gridloop?token=abc', false)).toBeNull();
    expect(checkTargetUrl('https://93.184.216.34:8443/in', false)).toBeNull();
    const refused = (url: string, allowPrivate = false) => checkTargetUrl(url, allowPrivate)?.code;
    expect(refused('not a url')).toBe('WEBHOOK_URL_INVALID');
    expect(refused('http://hooks.example.cn/in')).toBe('WEBHOOK_URL_INVALID');
    expect(refused('ftp://hooks.example.cn/in')).toBe('WEBHOOK_URL_INVALID');
    expect(refused('https://user:pass@hooks.example.cn/in')).toBe('WEBHOOK_URL_INVALID');
    expect(refused('https://hooks.example.cn/in#x')).toBe('WEBHOOK_URL_INVALID');
    expect(refused('https://127.0.0.1/in')).toBe('WEBHOOK_URL_FORBIDDEN');
    expect(refused('https://[::1]/in')).toBe('WEBHOOK_URL_FORBIDDEN');
    expect(refused('https://[::ffff:127.0.0.1]/in')).toBe('WEBHOOK_URL_FORBIDDEN');
    expect(refused('https://169.254.169.254/latest/meta-data')).toBe('WEBHOOK_URL_FORBIDDEN');
    expect(refused('https://localhost/in')).toBe('WEBHOOK_URL_FORBIDDEN');
    // Allowed (development, tests): private targets, and plain http to this machine only.
    expect(refused('https://10.0.0.5/in', true)).toBeUndefined();
    expect(refused('http://127.0.0.1:3999/in', true)).toBeUndefined();
    expect(refused('http://localhost:3999/in', true)).toBeUndefined();
    expect(refused('http://10.0.0.5/in', true)).toBe('WEBHOOK_URL_INVALID');
  });

  it('never connects to a blocked address, by literal or by a name that resolves to one', async () => {
    const receiver = await startReceiver();
    const port = new URL(receiver.url).port;
    const options = { timeoutMs: 2_000, allowPrivate: false };
    await expect(postJson(receiver.url, '{}', {}, options)).rejects.toBeInstanceOf(BlockedAddressError);
    await expect(postJson(`http://localhost:${port}/hook`, '{}', {}, options)).rejects.toBeInstanceOf(
      BlockedAddressError,
    );
    expect(receiver.received).toHaveLength(0);
    // The same receiver, allowed: it answers.
    const answer = await postJson(receiver.url, '{"a":1}', {}, { ...options, allowPrivate: true });
    expect(answer.status).toBe(200);
    expect(receiver.received.map((r) => r.body)).toEqual(['{"a":1}']);
  });

  it('gives up on a receiver that never answers, with the timeout in the error', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      await expect(
        postJson(`http://127.0.0.1:${port}/hook`, '{}', {}, { timeoutMs: 200, allowPrivate: true }),
      ).rejects.toThrow(/timed out after 200 ms/);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});

describe('webhook signatures', () => {
  const body = '{"id":"e1","type":"case.closed"}';
  const now = new Date('2026-11-22T02:00:00Z');
  const t = Math.floor(now.getTime() / 1000);

  it('verifies the body and time it was made for, and nothing else', () => {
    const header = signatureHeader(['whsec_one'], t, body);
    expect(header).toBe(`t=${t},v1=${signPayload('whsec_one', t, body)}`);
    expect(verifySignature('whsec_one', header, body, { now })).toBe(true);
    expect(verifySignature('whsec_two', header, body, { now })).toBe(false);
    expect(verifySignature('whsec_one', header, body.replace('closed', 'reported'), { now })).toBe(false);
    expect(verifySignature('whsec_one', header.replace(`t=${t}`, `t=${t + 1}`), body, { now })).toBe(false);
    // Replayed ten minutes later: refused on time alone.
    expect(verifySignature('whsec_one', header, body, { now: new Date(now.getTime() + 600_000) })).toBe(false);
    expect(verifySignature('whsec_one', undefined, body, { now })).toBe(false);
  });

  it('carries one signature per secret in force, so a rotation loses nothing', () => {
    const header = signatureHeader(['whsec_new', 'whsec_old'], t, body);
    expect(verifySignature('whsec_new', header, body, { now })).toBe(true);
    expect(verifySignature('whsec_old', header, body, { now })).toBe(true);
  });
});
