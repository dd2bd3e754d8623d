import { msgpackCodec } from '@raftkit/codec';
import type { Codec } from '@raftkit/core';
import type {
  HardState,
  LogEntry,
  PersistBatch,
  PersistedState,
  RaftStorage,
  SnapshotMeta,
} from '@raftkit/core';
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
  private hardState: HardState = { term: 0, votedFor: -1 };
  private meta: SnapshotMeta = { index: 0, term: 0 };
  private snapshot: Uint8Array = new Uint8Array(0);
  /** Encoded entries; `entries[i]` is at index `meta.index + 1 + i`. Never mutated in place. */
  private entries: Uint8Array[] = [];
  private entryBytes = 0;
  private headerBytes: number;

  constructor(private readonly codec: Codec = msgpackCodec) {
    this.headerBytes = this.encodeHeader().length;
  }

  load(): PersistedState {
    return {
      hardState: { ...this.hardState },
      snapshotMeta: { ...this.meta },
      snapshot: this.snapshot.slice(),
      entries: this.entries.map((bytes) => {
        const [term, command] = this.codec.decode(bytes) as [number, unknown];
        return { term, command };
      }),
    };
  }

  save(batch: PersistBatch): void {
    validateBatch(batch, { snapshotIndex: this.meta.index, lastIndex: this.lastIndex() });
    // Encode before mutating so that an unencodable command leaves the state untouched.
    const appended = batch.append?.entries.map((e: LogEntry) =>
      this.codec.encode([e.term, e.command]),
    );
    if (batch.snapshot !== undefined) {
      const { meta, data } = batch.snapshot;
      // Entries up to meta.index are covered; a snapshot past the log's end empties it.
      this.entries = this.entries.slice(meta.index - this.meta.index);
      this.meta = { index: meta.index, term: meta.term };
      this.snapshot = data.slice();
      this.entryBytes = sum(this.entries);
    }
    if (batch.truncateFrom !== undefined) {
      const keep = batch.truncateFrom - this.meta.index - 1;
      this.entryBytes -= sum(this.entries.slice(keep));
      this.entries = this.entries.slice(0, keep);
    }
    if (appended !== undefined && appended.length > 0) {
      this.entries = this.entries.concat(appended);
      this.entryBytes += sum(appended);
    }
    if (batch.hardState !== undefined) {
      this.hardState = { term: batch.hardState.term, votedFor: batch.hardState.votedFor };
    }
    this.headerBytes = this.encodeHeader().length;
  }

  raftStateSize(): number {
    return this.headerBytes + this.entryBytes;
  }

  snapshotSize(): number {
    return this.snapshot.length;
  }

  readSnapshot(): Uint8Array {
    return this.snapshot.slice();
  }

  /** The Raft state as one byte string (header record, then one record per entry). */
  readRaftState(): Uint8Array {
    const header = this.encodeHeader();
    const out = new Uint8Array(this.raftStateSize());
    out.set(header, 0);
    let at = header.length;
    for (const e of this.entries) {
      out.set(e, at);
      at += e.length;
    }
    return out;
  }

  /**
   * A new persister holding the same content. Writes to either never reach
   * the other: stored bytes are immutable and arrays are replaced, not mutated.
   */
  copy(): MemoryPersister {
    const twin = new MemoryPersister(this.codec);
    twin.hardState = { ...this.hardState };
    twin.meta = { ...this.meta };
    twin.snapshot = this.snapshot;
    twin.entries = this.entries.slice();
    twin.entryBytes = this.entryBytes;
    twin.headerBytes = this.headerBytes;
    return twin;
  }

  /** Index of the last entry (the snapshot index when the log is empty). */
  lastIndex(): number {
    return this.meta.index + this.entries.length;
  }

  private encodeHeader(): Uint8Array {
    const { term, votedFor } = this.hardState;
    return this.codec.encode([term, votedFor, this.meta.index, this.meta.term]);
  }
}

function sum(chunks: readonly Uint8Array[]): number {
  let total = 0;
  for (const c of chunks) total += c.length;
  return total;
}
