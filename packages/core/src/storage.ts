/** Raft's durable vote state (Figure 2 "persistent state" minus the log). */
export interface HardState {
  /** Latest term this peer has seen; 0 initially. */
  term: number;
  /** Peer index voted for in `term`, or -1 for none. */
  votedFor: number;
}

/** One log entry. Its index is implicit in its position. */
export interface LogEntry<Command = unknown> {
  term: number;
  command: Command;
}

/** The position a snapshot covers: every entry up to and including `index`. */
export interface SnapshotMeta {
  /** Index of the last entry the snapshot replaces; 0 means "no snapshot". */
  index: number;
  /** Term of that entry; 0 when `index` is 0. */
  term: number;
}

/** What a persister holds, as Raft reads it back at start. */
export interface PersistedState {
  hardState: HardState;
  snapshotMeta: SnapshotMeta;
  /** The service's snapshot bytes (empty when there is none). A fresh copy. */
  snapshot: Uint8Array;
  /** `entries[i]` is at index `snapshotMeta.index + 1 + i`. Fresh objects. */
  entries: LogEntry[];
}

/**
 * One atomic change to persisted state, applied in this order:
 * 1. `snapshot`: replace the snapshot and drop every entry with index ≤ snapshot.meta.index
 *    (an entry past the snapshot survives only if the log extends beyond it);
 * 2. `truncateFrom`: drop every entry with index ≥ truncateFrom;
 * 3. `append`: add entries; `append.firstIndex` must be the last index + 1;
 * 4. `hardState`: replace term and vote.
 * A batch is validated whole before anything changes: an invalid batch throws
 * `InvalidPersistBatchError` and leaves the state untouched.
 */
export interface PersistBatch {
  snapshot?: { meta: SnapshotMeta; data: Uint8Array };
  truncateFrom?: number;
  append?: { firstIndex: number; entries: readonly LogEntry[] };
  hardState?: HardState;
}

/**
 * What Raft needs from storage: read everything once at start, then write in
 * proportion to what changed. `save` may complete synchronously (in memory) or
 * return a promise (a durable implementation resolves it after fsync); Raft
 * must not act on a change (grant a vote, acknowledge entries) before it
 * completes.
 */
export interface RaftStorage {
  load(): PersistedState;
  save(batch: PersistBatch): void | Promise<void>;
  /** Bytes of Raft state (hard state, snapshot position and log) as the lab counts them. */
  raftStateSize(): number;
  /** Bytes of the service snapshot. */
  snapshotSize(): number;
  /** A copy of the service snapshot (empty when there is none). */
  readSnapshot(): Uint8Array;
}
