import { ERRORS, type ErrorCode } from '../../common/errors.js';

/** A field that failed, with the reason in plain words (English; the message carries both languages). */
export interface FieldProblem {
  path: string;
  reason: string;
}

/** An expected failure with a catalogue code; the error handler turns it into the coded JSON answer. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fields: FieldProblem[] | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, options: { fields?: FieldProblem[]; details?: Record<string, unknown> } = {}) {
    super(ERRORS[code].en);
    this.name = 'AppError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.fields = options.fields;
    this.details = options.details;
  }
}

/** Shorthand for the answer to anything missing or outside the actor's scope. */
export const notFound = () => new AppError('NOT_FOUND');
