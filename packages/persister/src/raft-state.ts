import type { Codec, HardState, PersistBatch, PersistedState, SnapshotMeta } from '@raftkit/core';

/**
 * Raft's persisted state held as bytes, with the lab's size accounting: the
 * Raft state is one encoded header (term, vote, snapshot index and term)
 * followed by one encoded record per entry, the codec's encoding of
 * [term, command]. `raftStateSize()` is that sequence's exact length, kept
 * as a running sum. Stored byte strings are never mutated, so a `clone()`
 * shares them and copies only the array that lists them.
 */
export class EncodedRaftState {
  hardState: HardState = { term: 0, votedFor: -1 };
  meta: SnapshotMeta = { index: 0, term: 0 };
  snapshot: Uint8Array = new Uint8Array(0);
  /** entries[i] is at index meta.index + 1 + i. Owned by this instance (`clone()` copies the array). */
  entries: Uint8Array[] = [];
  private entryBytes = 0;
  private headerBytes: number;

  constructor(readonly codec: Codec) {
    this.headerBytes = this.encodeHeader().length;
  }

  /** Encodes a batch's new entries (throws, changing nothing, when a command cannot be encoded). */
  encodeEntries(batch: PersistBatch): Uint8Array[] | undefined {
    return batch.append?.entries.map((e) => this.codec.encode([e.term, e.command]));
  }

  /** Applies an already validated batch whose entries `encodeEntries` returned. */
  apply(batch: PersistBatch, appended: Uint8Array[] | undefined): void {
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
      for (let i = keep; i < this.entries.length; i++) this.entryBytes -= this.entries[i]!.length;
      this.entries.length = keep;
    }
    if (appended !== undefined) {
      for (const e of appended) {
        this.entries.push(e);
        this.entryBytes += e.length;
      }
    }
    if (batch.hardState !== undefined) {
      this.hardState = { term: batch.hardState.term, votedFor: batch.hardState.votedFor };
    }
    this.headerBytes = this.encodeHeader().length;
  }

  /** Replaces the whole state (recovery). `snapshot` and `entries` are taken over, not copied. */
  reset(
    hardState: HardState,
    meta: SnapshotMeta,
    snapshot: Uint8Array,
    entries: Uint8Array[],
  ): void {
    this.hardState = { ...hardState };
    this.meta = { ...meta };
    this.snapshot = snapshot;
    this.entries = entries;
    this.entryBytes = sum(entries);
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

  raftStateSize(): number {
    return this.headerBytes + this.entryBytes;
  }

  lastIndex(): number {
    return this.meta.index + this.entries.length;
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

  clone(): EncodedRaftState {
    const twin = new EncodedRaftState(this.codec);
    twin.hardState = { ...this.hardState };
    twin.meta = { ...this.meta };
    twin.snapshot = this.snapshot;
    twin.entries = this.entries.slice();
    twin.entryBytes = this.entryBytes;
    twin.headerBytes = this.headerBytes;
    return twin;
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
