import { RaftkitError } from '@raftkit/core';

const marker = Symbol.for('raftkit.error.InvalidPersistBatchError');

/**
 * A persist batch would leave a gap, a negative index or a log that does not
 * follow its snapshot. Nothing was written; fix the caller (this is a bug in
 * the Raft implementation or a misuse of the storage API).
 */
export class InvalidPersistBatchError extends RaftkitError {
  readonly [marker] = true;
  /** The offending field, e.g. "append.firstIndex". */
  readonly field: string;

  constructor(options: { field: string; message: string }) {
    super({
      code: 'INVALID_PERSIST_BATCH',
      message: `invalid persist batch: ${options.field}: ${options.message}`,
    });
    this.field = options.field;
  }

  static override isInstance(error: unknown): error is InvalidPersistBatchError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
