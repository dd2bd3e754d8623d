import { RaftkitError } from '@raftkit/core';

const marker = Symbol.for('raftkit.error.SnapshotIndexError');

/**
 * `snapshot(index)` named an index the service cannot have applied: beyond
 * what Raft delivered (hence possibly beyond the commit index), or not a
 * positive integer. Snapshot only indices the apply sink has already received.
 */
export class SnapshotIndexError extends RaftkitError {
  readonly [marker] = true;
  readonly index: number;
  readonly applied: number;

  constructor(options: { index: number; applied: number; commitIndex: number }) {
    super({
      code: 'SNAPSHOT_INDEX',
      message: `snapshot(${String(options.index)}) is invalid: the service has been delivered entries only up to index ${options.applied} (commit index ${options.commitIndex}); pass the index of an entry the apply sink already received`,
    });
    this.index = options.index;
    this.applied = options.applied;
  }

  static override isInstance(error: unknown): error is SnapshotIndexError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
