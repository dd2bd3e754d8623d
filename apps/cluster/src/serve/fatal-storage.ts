import type { PersistBatch, PersistedState, RaftStorage } from '@raftkit/core';

/**
 * Wraps the node's durable storage so that a failed save stops the node instead of reaching
 * Raft (which does not handle a rejected save): the first rejection is reported once through
 * `onFatal`, and that save and every later one never settle, so Raft never votes, replies,
 * sends or applies anything that depended on them. The process then exits (see run-serve).
 * A rejection after `closing()` is the persister being closed, not a failure, and is ignored.
 */
export class FatalOnFailureStorage implements RaftStorage {
  private failed = false;
  private isClosing = false;

  constructor(
    private readonly inner: RaftStorage,
    private readonly onFatal: (error: Error) => void,
  ) {}

  /** From now on a rejected save is expected (the node is stopping). */
  closing(): void {
    this.isClosing = true;
  }

  load(): PersistedState {
    return this.inner.load();
  }

  save(batch: PersistBatch): void | Promise<void> {
    if (this.failed) return never();
    let result: void | Promise<void>;
    try {
      result = this.inner.save(batch);
    } catch (error) {
      // A batch the persister refuses synchronously is a bug in the caller, not a disk failure,
      // but acknowledging past it would be just as wrong: stop the same way.
      this.fail(error);
      return never();
    }
    if (result === undefined) return undefined;
    return result.catch((error: unknown) => {
      this.fail(error);
      return never();
    });
  }

  raftStateSize(): number {
    return this.inner.raftStateSize();
  }

  snapshotSize(): number {
    return this.inner.snapshotSize();
  }

  readSnapshot(): Uint8Array {
    return this.inner.readSnapshot();
  }

  private fail(error: unknown): void {
    if (this.failed || this.isClosing) {
      this.failed = true;
      return;
    }
    this.failed = true;
    this.onFatal(error instanceof Error ? error : new Error(String(error)));
  }
}

/** A promise that never settles (a save that will never be acknowledged). */
function never(): Promise<void> {
  return new Promise<void>(() => {});
}
