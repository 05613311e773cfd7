/**
 * Uploading photos in HTTP tests: multipart bodies built the way a browser builds them (FormData),
 * sent through `app.inject()` as a signed-in client (cookie and CSRF header) or anonymously.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Client } from '../test/harness.js';
import { jpeg } from './test-images.js';

export interface FilePart {
  buffer: Buffer;
  name: string;
  /** The declared type; the server judges the content anyway. */
  type?: string;
}

/** A multipart/form-data body with each file in a part named `field`. */
export async function multipart(files: readonly FilePart[], field = 'file') {
  const form = new FormData();
  for (const f of files) {
    form.append(field, new Blob([new Uint8Array(f.buffer)], { type: f.type ?? 'application/octet-stream' }), f.name);
  }
  const request = new Request('http://gridloop.test/api/media', { method: 'POST', body: form });
  return {
    payload: Buffer.from(await request.arrayBuffer()),
    headers: { 'content-type': request.headers.get('content-type') ?? '' },
  };
}

export interface UploadOptions {
  /** Signed in as this client; anonymous without. */
  client?: Client | undefined;
  /** The client's address (anonymous uploaders are recognised by it). */
  remoteAddress?: string | undefined;
}

/** POST /api/media with these files. */
export async function upload(
  app: FastifyInstance,
  files: readonly FilePart[],
  options: UploadOptions = {},
): Promise<LightMyRequestResponse> {
  const body = await multipart(files);
  const auth = options.client ? { cookie: options.client.cookie, 'x-csrf-token': options.client.csrf } : {};
  return app.inject({
    method: 'POST',
    url: '/api/media',
    payload: body.payload,
    headers: { ...body.headers, ...auth },
    ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
  });
}

let serial = 0;

/** Uploads one fresh JPEG (distinct content each call) and returns its key. */
export async function uploadPhoto(
  app: FastifyInstance,
  options: UploadOptions & { image?: Buffer } = {},
): Promise<string> {
  serial += 1;
  const buffer = options.image ?? (await jpeg({ width: 64 + (serial % 500), height: 48 }));
  const res = await upload(app, [{ buffer, name: `photo-${serial}.jpg`, type: 'image/jpeg' }], options);
  expect(res.statusCode, res.body).toBe(201);
  const [first] = res.json() as { key: string }[];
  if (!first) throw new Error('no photo in the answer');
  return first.key;
}

/**
 * A multipart/form-data body written byte by byte, the file names exactly as given (a browser's
 * FormData escapes quotes and line breaks, and sends only a name's last segment): hostile names.
 */
export function rawMultipart(files: readonly FilePart[], field = 'file') {
  const boundary = `----gridloop-test-${files.length}-boundary`;
  const parts = files.flatMap((f) => [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${f.name}"\r\n` +
        `Content-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`,
      'utf8',
    ),
    f.buffer,
    Buffer.from('\r\n'),
  ]);
  return {
    payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
