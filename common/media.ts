/**
 * Photos of cases as client and server both see them: the limits of one upload, why an upload can
 * be refused, and the catalogue codes those refusals answer with (spread into `common/errors.ts`).
 * The server's image pipeline (`server/media/`) enforces these; the web reads them to warn early.
 */

/** Photos in one submission (a report, a handling or a verification). */
export const MAX_FILES = 9;
/** Bytes in one file: a 48 MP phone JPEG is 6–9 MB. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** Bytes of all files of one submission together. */
export const MAX_TOTAL_BYTES = 40 * 1024 * 1024;
/**
 * Pixels (width × height) of one image. A 48 MP phone sensor bins to 12 MP photos by default;
 * 40 MP lets through high-resolution modes of most phones, and bounds a decoded image to
 * 160 MB (RGBA), which is what stops decompression bombs.
 */
export const MAX_PIXELS = 40_000_000;
/** Longest side of one image, so that a 40 MP budget cannot become a 1 × 40 000 000 strip. */
export const MAX_DIMENSION = 12_000;

/** What a photo is to the case: the report's own, or a step's before / after / evidence photo. */
export const PHOTO_ROLES = ['report', 'before', 'after', 'evidence'] as const;
export type PhotoRole = (typeof PHOTO_ROLES)[number];

export const MEDIA_PROBLEMS = [
  'not_an_image',
  'unsupported_format',
  'too_large',
  'too_many_pixels',
  'corrupt',
  'too_many_files',
  'total_too_large',
  'unsafe_name',
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
  unsafe_name: {
    zh: '文件名不能包含路径（/ 或 \\、..）或控制字符',
    en: 'A file name may not contain a path (/ or \\, ..) or control characters',
  },
};

/** The HTTP status each problem answers with. */
export const MEDIA_STATUS: Record<MediaProblem, number> = {
  not_an_image: 415,
  unsupported_format: 415,
  too_large: 413,
  too_many_pixels: 422,
  corrupt: 422,
  too_many_files: 413,
  total_too_large: 413,
  unsafe_name: 400,
};

/** The catalogue code of each problem. */
export const MEDIA_ERROR_CODES = {
  not_an_image: 'MEDIA_NOT_IMAGE',
  unsupported_format: 'MEDIA_UNSUPPORTED_FORMAT',
  too_large: 'MEDIA_TOO_LARGE',
  too_many_pixels: 'MEDIA_TOO_MANY_PIXELS',
  corrupt: 'MEDIA_CORRUPT',
  too_many_files: 'MEDIA_TOO_MANY',
  total_too_large: 'MEDIA_TOTAL_TOO_LARGE',
  unsafe_name: 'MEDIA_NAME_UNSAFE',
} as const satisfies Record<MediaProblem, string>;
export type MediaErrorCode = (typeof MEDIA_ERROR_CODES)[MediaProblem];

/** The catalogue entries of the media problems, built from the messages and statuses above. */
export const MEDIA_ERRORS = Object.fromEntries(
  MEDIA_PROBLEMS.map((p) => [MEDIA_ERROR_CODES[p], { status: MEDIA_STATUS[p], ...MEDIA_MESSAGES[p] }]),
) as Record<MediaErrorCode, { status: number; zh: string; en: string }>;
