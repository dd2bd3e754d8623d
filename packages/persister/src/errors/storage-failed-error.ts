import { RaftkitError } from '@raftkit/core';

const marker = Symbol.for('raftkit.error.StorageFailedError');

/**
 * A write or sync of the data directory failed (or the persister was closed).
 * Terminal: an fsync error may have dropped data that a retried fsync would
 * then falsely report as durable, so every later save fails with this error.
 * Stop the node, check the disk, and restart it: recovery keeps everything
 * that was acknowledged.
 */
export class StorageFailedError extends RaftkitError {
  readonly [marker] = true;
  /** The data directory. */
  readonly dir: string;

  constructor(options: { dir: string; message: string; cause?: unknown }) {
    super({ code: 'STORAGE_FAILED', message: options.message, cause: options.cause });
    this.dir = options.dir;
  }

  static override isInstance(error: unknown): error is StorageFailedError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
