/**
 * Reads an import upload: multipart/form-data with one file part (`file`) and a few short fields
 * (`mappingId` …), the file at most MAX_IMPORT_BYTES. Coded errors: 415 when the body is not
 * multipart, 413 when the file is too large, 400 when the form is broken or has no file.
 */
import type { FastifyRequest } from 'fastify';
import { MAX_IMPORT_BYTES } from '../../common/imports.js';
import { AppError } from '../http/app-error.js';

const code = (err: unknown) => (err as { code?: unknown }).code;

export interface Upload {
  file: { name: string; bytes: Buffer };
  fields: Record<string, string>;
}

export async function readUpload(request: FastifyRequest): Promise<Upload> {
  if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
  let file: Upload['file'] | undefined;
  const fields: Record<string, string> = {};
  try {
    const parts = request.parts({ limits: { files: 1, fileSize: MAX_IMPORT_BYTES, fields: 8, fieldSize: 1024 } });
    for await (const part of parts) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        file = { name: part.filename || 'upload', bytes };
      } else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
    }
  } catch (err) {
    if (code(err) === 'FST_REQ_FILE_TOO_LARGE')
      throw new AppError('PAYLOAD_TOO_LARGE', {
        fields: [{ path: 'body.file', reason: `at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB` }],
      });
    if (code(err) === 'FST_FILES_LIMIT' || code(err) === 'FST_PARTS_LIMIT' || code(err) === 'FST_FIELDS_LIMIT')
      throw new AppError('PAYLOAD_TOO_LARGE', { fields: [{ path: 'body', reason: 'one file and a few fields' }] });
    request.log.info({ err }, 'malformed multipart body');
    throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'body', reason: 'malformed multipart form' }] });
  }
  if (!file) throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'body.file', reason: 'a file is required' }] });
  return { file, fields };
}
