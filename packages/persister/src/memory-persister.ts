import { msgpackCodec } from '@raftkit/codec';
import type { Codec, PersistBatch, PersistedState, RaftStorage } from '@raftkit/core';
import { EncodedRaftState } from './raft-state.js';
import { validateBatch } from './validate-batch.js';

/**
 * The lab's persister in memory, behind the incremental `RaftStorage` API.
 *
 * The Raft state is stored as a sequence of encoded records: one header
 * (term, vote, snapshot index and term) followed by one record per entry.
 * `raftStateSize()` is the exact length of that sequence (what
 * `readRaftState()` returns), kept as a running sum so no call re-encodes the
 * log. Every stored value is bytes, so a reader never shares an object with a
 * writer, and `copy()` (taken when a server "crashes") gives a persister the
 * dead server can no longer reach.
 */
export class MemoryPersister implements RaftStorage {
  private state: EncodedRaftState;

  constructor(codec: Codec = msgpackCodec) {
    this.state = new EncodedRaftState(codec);
  }

  load(): PersistedState {
    return this.state.load();
  }

  save(batch: PersistBatch): void {
    validateBatch(batch, {
      snapshotIndex: this.state.meta.index,
      lastIndex: this.state.lastIndex(),
    });
    // Encode before mutating so that an unencodable command leaves the state untouched.
    const appended = this.state.encodeEntries(batch);
    this.state.apply(batch, appended);
  }

  raftStateSize(): number {
    return this.state.raftStateSize();
  }

  snapshotSize(): number {
    return this.state.snapshot.length;
  }

  readSnapshot(): Uint8Array {
    return this.state.snapshot.slice();
  }

  /** The Raft state as one byte string (header record, then one record per entry). */
  readRaftState(): Uint8Array {
    return this.state.readRaftState();
  }

  /**
   * A new persister holding the same content. Writes to either never reach
   * the other: stored bytes are immutable and arrays are replaced, not mutated.
   */
  copy(): MemoryPersister {
    const twin = new MemoryPersister(this.state.codec);
    twin.state = this.state.clone();
    return twin;
  }

  /** Index of the last entry (the snapshot index when the log is empty). */
  lastIndex(): number {
    return this.state.lastIndex();
  }
}
