/**
 * Photos over HTTP: upload (multipart, all or nothing) and fetch one variant. A photo is seen
 * through the cases that show it (media.policy.ts); the files are content-addressed, so a URL
 * always means the same bytes and may be cached for good — privately, since who may fetch it varies.
 */
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MAX_FILE_BYTES, MAX_FILES, MAX_TOTAL_BYTES } from '../../common/media.js';
import { AppError } from '../http/app-error.js';
import { auditContext, denyOutOfScope } from '../http/request-context.js';
import { errorResponses } from '../http/schemas.js';
import { isStaff } from '../policies/predicates.js';
import { uploadPhotos } from './commands/upload-photos.js';
import { sanitiseFilename, unsafeFilename } from './filename.js';
import { MediaError } from './media.errors.js';
import { mayViewByTrackingCode, mayViewPhoto } from './media.policy.js';
import { ZMediaParams, ZPublicMediaParams, ZUploadBody, ZUploadedPhoto } from './media.schema.js';
import { type MediaVariant, openVariant, type UploadedFile } from './media.store.js';
import { mediaUrl } from './photo.presenter.js';
import { photoExists } from './photo.repository.js';
import { uploaderOf } from './uploader.js';

const tags = ['media'];
/** Non-file parts a form may carry alongside the photos (ignored; each cut at 1 KiB). */
const MAX_FIELDS = 16;

/** Uploads a minute per address: staff work through batches, anonymous senders get the least. */
function uploadsPerMinute(request: FastifyRequest): number {
  if (request.actor?.kind === 'staff') return 120;
  if (request.actor?.kind === 'resident') return 60;
  return 20;
}

const code = (err: unknown) => (err as { code?: unknown }).code;

/**
 * Reads every file part into memory within the limits, in order. Too many files, one too large or
 * all together too large stop the reading at once with the matching `MediaError`.
 */
async function readFiles(request: FastifyRequest): Promise<UploadedFile[]> {
  if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
  const files: UploadedFile[] = [];
  let total = 0;
  try {
    const parts = request.files({
      // The name as sent, path and all, so that a crafted path is refused (filename.ts), not cut to its end.
      preservePath: true,
      limits: {
        files: MAX_FILES,
        fileSize: MAX_FILE_BYTES,
        fields: MAX_FIELDS,
        fieldSize: 1024,
        parts: MAX_FILES + MAX_FIELDS,
      },
    });
    for await (const part of parts) {
      const index = files.length;
      if (unsafeFilename(part.filename))
        throw new MediaError('unsafe_name', { index, filename: sanitiseFilename(part.filename) ?? undefined });
      let buffer: Buffer;
      try {
        buffer = await part.toBuffer();
      } catch (err) {
        if (code(err) === 'FST_REQ_FILE_TOO_LARGE')
          throw new MediaError('too_large', { index, filename: sanitiseFilename(part.filename) ?? undefined });
        throw err;
      }
      total += buffer.length;
      if (total > MAX_TOTAL_BYTES) throw new MediaError('total_too_large');
      files.push({ buffer, filename: part.filename, mimeType: part.mimetype });
    }
  } catch (err) {
    if (err instanceof MediaError || err instanceof AppError) throw err;
    if (code(err) === 'FST_FILES_LIMIT') throw new MediaError('too_many_files');
    if (code(err) === 'FST_PARTS_LIMIT' || code(err) === 'FST_FIELDS_LIMIT') throw new AppError('PAYLOAD_TOO_LARGE');
    // Busboy's complaints about a broken form (no boundary, a part cut short …).
    request.log.info({ err }, 'malformed multipart body');
    throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'body', reason: 'malformed multipart form' }] });
  }
  if (files.length === 0)
    throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'body.file', reason: 'at least one file' }] });
  return files;
}

/** Streams one variant with headers for content that never changes; 304 when the client has it. */
async function sendVariant(request: FastifyRequest, reply: FastifyReply, key: string, variant: MediaVariant) {
  const etag = `"${key}-${variant}"`;
  // Set only on a success: a 404 must not be cached for good.
  const cacheForGood = () =>
    reply.headers({
      'cache-control': 'private, max-age=31536000, immutable',
      etag,
      'x-content-type-options': 'nosniff',
      // Opened on its own, an image must not be able to run anything.
      'content-security-policy': "default-src 'none'; sandbox",
    });
  if (request.headers['if-none-match'] === etag) return cacheForGood().status(304).send();
  const opened = await openVariant(request.server.config.mediaDir, key, variant);
  if (!opened) throw new AppError('NOT_FOUND');
  return cacheForGood().header('content-length', opened.bytes).type(opened.mimeType).send(opened.stream);
}

export async function mediaRoutes(app: FastifyInstance): Promise<void> {
  // Registered here only: this plugin's scope is the one place that takes multipart bodies.
  await app.register(fastifyMultipart);
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/media',
    {
      schema: {
        tags,
        summary: 'Upload photos for a report or a step of a case / 上传照片',
        description:
          `multipart/form-data with 1–${MAX_FILES} files (parts named \`file\`), each at most ` +
          `${MAX_FILE_BYTES / 1024 / 1024} MB and ${MAX_TOTAL_BYTES / 1024 / 1024} MB together. Each file is ` +
          'judged by its content (JPEG, PNG or WebP), never its name; a name with a path or control characters ' +
          'is refused (400 MEDIA_NAME_UNSAFE). All or nothing: when one file is ' +
          'refused nothing is stored and the error names it (`file: { index, name }`). Staff, signed-in ' +
          'residents and anonymous residents may upload (anonymous ones at a lower rate). Send the keys ' +
          'as `photos` of a report or a transition. The EXIF position is answered to staff only.',
        security: [],
        consumes: ['multipart/form-data'],
        body: ZUploadBody,
        response: { 201: z.array(ZUploadedPhoto), ...errorResponses(400, 403, 413, 415, 422, 429) },
      },
      // The form is read as a stream by the handler; there is no parsed body to validate.
      validatorCompiler: () => () => true,
      config: { rateLimit: { max: uploadsPerMinute, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const files = await readFiles(request);
      const uploader = await uploaderOf(app.db, request.actor, request.ip);
      const saved = await uploadPhotos(
        { db: app.db, mediaDir: app.config.mediaDir, uploader, audit: auditContext(request) },
        files,
      );
      const staff = isStaff(request.actor);
      return reply.status(201).send(
        saved.map((s) => ({
          key: s.key,
          format: s.format,
          width: s.width,
          height: s.height,
          thumbUrl: mediaUrl(s.key, 'thumb'),
          publicUrl: mediaUrl(s.key, 'public'),
          ...(staff ? { gps: s.gps } : {}),
        })),
      );
    },
  );

  r.get(
    '/api/media/:key/:variant',
    {
      schema: {
        tags,
        summary: 'One photo: thumbnail, public copy or (staff) original / 查看照片',
        description:
          '`thumb` (WebP) and `public` (JPEG, no metadata) for whoever may read a case showing the photo, ' +
          'and for its uploader within an hour of uploading; `original` (as uploaded, EXIF included) only ' +
          'for staff who may read such a case. Anything else answers 404. Cached privately for good.',
        params: ZMediaParams,
        produces: ['image/jpeg', 'image/png', 'image/webp'],
        response: { 200: z.file(), ...errorResponses(400, 404) },
      },
      config: { rateLimit: { max: 600, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const { key, variant } = request.params;
      const actor = request.actor;
      const uploader = await uploaderOf(app.db, actor, request.ip);
      if (!(await mayViewPhoto(app.db, actor, uploader, key, variant))) {
        // A signed-in person asking for a photo that exists outside their reach is recorded.
        if (actor && (await photoExists(app.db, key))) await denyOutOfScope(request, { type: 'photo', id: key });
        throw new AppError('NOT_FOUND');
      }
      return sendVariant(request, reply, key, variant);
    },
  );

  r.get(
    '/api/public/cases/:trackingCode/media/:key/:variant',
    {
      schema: {
        tags: ['public'],
        summary: 'A photo on my case’s public timeline, by tracking code / 按查询码查看照片',
        description:
          'The metadata-free copies (`public`, `thumb`) of the report’s photos and of public steps’ photos only.',
        security: [],
        params: ZPublicMediaParams,
        produces: ['image/jpeg', 'image/webp'],
        response: { 200: z.file(), ...errorResponses(400, 404) },
      },
      config: { rateLimit: { max: 300, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const { trackingCode, key, variant } = request.params;
      if (!(await mayViewByTrackingCode(app.db, trackingCode, key))) throw new AppError('NOT_FOUND');
      return sendVariant(request, reply, key, variant);
    },
  );
}
