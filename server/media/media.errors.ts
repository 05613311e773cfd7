/**
 * Why an upload was refused. The integrator maps each problem to a catalogue code in
 * `common/errors.ts`; `MEDIA_MESSAGES` and `MEDIA_STATUS` are what those entries should say.
 */
import { MAX_DIMENSION, MAX_FILE_BYTES, MAX_FILES, MAX_PIXELS, MAX_TOTAL_BYTES } from './media.limits.js';

export const MEDIA_PROBLEMS = [
  'not_an_image',
  'unsupported_format',
  'too_large',
  'too_many_pixels',
  'corrupt',
  'too_many_files',
  'total_too_large',
] as const;
export type MediaProblem = (typeof MEDIA_PROBLEMS)[number];

const MiB = (bytes: number) => Math.round(bytes / (1024 * 1024));
const MP = Math.round(MAX_PIXELS / 1_000_000);

export const MEDIA_MESSAGES: Record<MediaProblem, { zh: string; en: string }> = {
  not_an_image: { zh: '上传的文件不是图片', en: 'The file is not an image' },
  unsupported_format: {
    zh: '不支持该图片格式（含动图），请上传 JPEG、PNG 或 WebP 照片',
    en: 'Unsupported image format (or an animation); upload a JPEG, PNG or WebP photo',
  },
  too_large: {
    zh: `单张图片不能超过 ${MiB(MAX_FILE_BYTES)} MB`,
    en: `An image may not exceed ${MiB(MAX_FILE_BYTES)} MB`,
  },
  too_many_pixels: {
    zh: `图片尺寸过大（不超过 ${MP} 百万像素，边长不超过 ${MAX_DIMENSION} 像素）`,
    en: `The image is too large (at most ${MP} megapixels and ${MAX_DIMENSION} pixels a side)`,
  },
  corrupt: { zh: '图片已损坏或不完整，无法读取', en: 'The image is damaged or incomplete and cannot be read' },
  too_many_files: {
    zh: `每次最多上传 ${MAX_FILES} 张图片`,
    en: `At most ${MAX_FILES} images may be uploaded at once`,
  },
  total_too_large: {
    zh: `一次上传的图片合计不能超过 ${MiB(MAX_TOTAL_BYTES)} MB`,
    en: `The images of one upload may not exceed ${MiB(MAX_TOTAL_BYTES)} MB together`,
  },
};

/** The HTTP status each problem should answer with. */
export const MEDIA_STATUS: Record<MediaProblem, number> = {
  not_an_image: 415,
  unsupported_format: 415,
  too_large: 413,
  too_many_pixels: 422,
  corrupt: 422,
  too_many_files: 413,
  total_too_large: 413,
};

/**
 * An upload refused for a known reason. `index` is the file's position in a batch; `detail` is
 * for logs only (it may quote the decoder) and must never reach the client.
 */
export class MediaError extends Error {
  readonly problem: MediaProblem;
  readonly index: number | undefined;
  readonly detail: string | undefined;

  constructor(problem: MediaProblem, options: { index?: number; detail?: string; cause?: unknown } = {}) {
    super(MEDIA_MESSAGES[problem].en, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MediaError';
    this.problem = problem;
    this.index = options.index;
    this.detail = options.detail;
  }

  /** The same problem, located at a file of a batch. */
  at(index: number): MediaError {
    return new MediaError(this.problem, { index, detail: this.detail, cause: this.cause });
  }
}
