import { RaftkitError } from './raftkit-error.js';

const marker = Symbol.for('raftkit.error.InvalidArgumentError');

/** A public call received an argument outside its documented domain. Nothing was changed. */
export class InvalidArgumentError extends RaftkitError {
  readonly [marker] = true;
  /** The name of the offending argument or field, e.g. `delayMs` or `batch.append.firstIndex`. */
  readonly argument: string;

  constructor(options: { argument: string; message: string; cause?: unknown }) {
    super({ code: 'INVALID_ARGUMENT', message: options.message, cause: options.cause });
    this.argument = options.argument;
  }

  static override isInstance(error: unknown): error is InvalidArgumentError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
