import { RaftkitError } from '@raftkit/core';

const marker = Symbol.for('raftkit.error.WorkerError');

/**
 * A worker thread of `checkOperationsParallel` failed: the model threw, the worker script could
 * not start, or a thread exited unexpectedly. `cause` holds the worker's error when there is one.
 */
export class WorkerError extends RaftkitError {
  readonly [marker] = true;

  constructor(options: { message: string; cause?: unknown }) {
    super({ code: 'WORKER_FAILED', message: options.message, cause: options.cause });
  }

  static override isInstance(error: unknown): error is WorkerError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
