/**
 * Why an upload was refused. The problems, their messages and statuses live in `common/media.ts`
 * (one source: `common/errors.ts` builds its MEDIA_* codes from them); the error handler answers a
 * `MediaError` with the problem's catalogue code.
 */
import { MEDIA_MESSAGES, type MediaProblem } from '../../common/media.js';

export { MEDIA_MESSAGES, MEDIA_PROBLEMS, MEDIA_STATUS, type MediaProblem } from '../../common/media.js';

/**
 * An upload refused for a known reason. `index` is the file's position in a batch and `filename`
 * its (sanitised) name, so the answer can say which file; `detail` is for logs only (it may quote
 * the decoder) and must never reach the client.
 */
export class MediaError extends Error {
  readonly problem: MediaProblem;
  readonly index: number | undefined;
  readonly filename: string | undefined;
  readonly detail: string | undefined;

  constructor(
    problem: MediaProblem,
    options: { index?: number; filename?: string | undefined; detail?: string; cause?: unknown } = {},
  ) {
    super(MEDIA_MESSAGES[problem].en, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MediaError';
    this.problem = problem;
    this.index = options.index;
    this.filename = options.filename;
    this.detail = options.detail;
  }

  /** The same problem, located at a file of a batch. */
  at(index: number, filename?: string | null): MediaError {
    return new MediaError(this.problem, {
      index,
      filename: filename ?? undefined,
      detail: this.detail,
      cause: this.cause,
    });
  }
}
