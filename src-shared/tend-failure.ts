/**
 * The error Tend throws: a stable code and a message a person can act on.
 *
 * Note: this module imports nothing at run time (zod above all), so the command line can load
 * it while `tend --help` starts; `errors.ts` re-exports it beside the schemas.
 */
import type { ErrorCode, TendError } from './errors';

/** A failure with a stable code; thrown inside the engine, turned into a Result at the door. */
export class TendFailure extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'TendFailure';
    this.code = code;
    this.details = details;
  }

  toError(): TendError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}
