import { msgpackCodec } from '@raftkit/codec';
import {
  type Clock,
  type Codec,
  InvalidArgumentError,
  type Logger,
  noopLogger,
  type PersistBatch,
  type PersistedState,
  type RaftStorage,
  RealClock,
} from '@raftkit/core';
import { StorageFailedError } from './errors/storage-failed-error.js';
import { WalCorruptionError } from './errors/wal-corruption-error.js';
import type { FileSystem } from './fs/file-system.js';
import { NodeFileSystem } from './fs/node-file-system.js';
import { EncodedRaftState } from './raft-state.js';
import { validateBatch } from './validate-batch.js';
import { encodeSet, type SnapshotRef } from './wal/format.js';
import { acquireLock, releaseLock } from './wal/lock.js';
import { parseSegmentName } from './wal/names.js';
import { planRecovery, type RecoveryPlan } from './wal/recover.js';
import { runRepairs } from './wal/repair.js';
import { readSnapshotFile, snapshotRefOf } from './wal/snapshot-file.js';
import { type WalTip, WalWriter } from './wal/wal-writer.js';

export interface DiskPersisterOptions {
  /** The data directory (absolute path); created when missing. One persister per directory (a lock file enforces it). */
  dir: string;
  /** Where the files live. Default: the real disk (`NodeFileSystem`). */
  fs?: FileSystem;
  /** Encodes commands (must match across restarts). Default: msgpack. */
  codec?: Codec;
  /** A segment is closed once it holds at least this many bytes (default 64 MiB, minimum 256). */
  segmentBytes?: number;
  /**
   * Zero-filled space kept ahead of the log's end in the active segment (default 4 MiB;
   * 0 disables). Appends then overwrite allocated blocks instead of growing the file,
   * which makes each fdatasync cheaper (no size change to journal). The zeros are written
   * and synced between groups, after a group's saves resolved, never past `segmentBytes`.
   */
  preallocateBytes?: number;
  /** Time for the lock's grace wait. Default: the real clock. */
  clock?: Clock;
  logger?: Logger;
}

interface Pending {
  /** The record set (empty for an empty batch). */
  bytes: Uint8Array;
  snapshot: { ref: SnapshotRef; data: Uint8Array } | undefined;
  /** The log's state after this set. */
  after: WalTip;
  /** Highest index this set appends (0: none). */
  appendEnd: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface Resolved {
  dir: string;
  fs: FileSystem;
  codec: Codec;
  segmentBytes: number;
  preallocateBytes: number;
  clock: Clock;
  logger: Logger;
}

const EMPTY = new Uint8Array(0);
const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;
const DEFAULT_PREALLOCATE_BYTES = 4 * 1024 * 1024;

function resolveOptions(options: DiskPersisterOptions): Resolved {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError({
      argument: 'options',
      message: 'DiskPersister options must be an object with a dir',
    });
  }
  const {
    dir,
    segmentBytes = DEFAULT_SEGMENT_BYTES,
    preallocateBytes = DEFAULT_PREALLOCATE_BYTES,
  } = options;
  if (typeof dir !== 'string' || !dir.startsWith('/') || dir.length < 2) {
    throw new InvalidArgumentError({
      argument: 'dir',
      message: `dir must be an absolute directory path other than "/", got ${JSON.stringify(dir)}`,
    });
  }
  if (!Number.isSafeInteger(segmentBytes) || segmentBytes < 256) {
    throw new InvalidArgumentError({
      argument: 'segmentBytes',
      message: `segmentBytes must be an integer ≥ 256, got ${String(segmentBytes)}`,
    });
  }
  if (!Number.isSafeInteger(preallocateBytes) || preallocateBytes < 0) {
    throw new InvalidArgumentError({
      argument: 'preallocateBytes',
      message: `preallocateBytes must be an integer ≥ 0 (0 disables preallocation), got ${String(preallocateBytes)}`,
    });
  }
  return {
    dir: dir.endsWith('/') ? dir.slice(0, -1) : dir,
    fs: options.fs ?? new NodeFileSystem(),
    codec: options.codec ?? msgpackCodec,
    segmentBytes,
    preallocateBytes,
    clock: options.clock ?? new RealClock(),
    logger: options.logger ?? noopLogger,
  };
}

function parentOf(dir: string): string {
  const cut = dir.lastIndexOf('/');
  return cut <= 0 ? '/' : dir.slice(0, cut);
}

/** Creates `dir` and its missing parents durably: each level's parent directory is synced. */
async function makeDir(fs: FileSystem, dir: string): Promise<void> {
  await fs.mkdir(dir);
  for (let d = dir; d !== '/'; d = parentOf(d)) await fs.syncDir(parentOf(d));
}

/** The directory's content as recovery needs it: names, and bytes on demand. */
export interface DirImage {
  names: string[];
  read(name: string): Uint8Array;
}

/** The log's state from the segments' bytes (pure). */
function plan(
  o: Resolved,
  names: readonly string[],
  read: (name: string) => Uint8Array,
): RecoveryPlan {
  const segments = new Map<string, Uint8Array>();
  for (const name of names)
    if (parseSegmentName(name) !== undefined) segments.set(name, read(name));
  return planRecovery(o.dir, names, segments);
}

/** The snapshot's data, checked against what the log says it must be. */
function verifySnapshot(
  o: Resolved,
  recovered: RecoveryPlan,
  bytes: Uint8Array | undefined,
): Uint8Array {
  if (recovered.snapshotFile === undefined || bytes === undefined) return EMPTY;
  const r = readSnapshotFile(bytes, recovered.snapshot);
  if (!r.ok) {
    throw new WalCorruptionError({
      file: `${o.dir}/${recovered.snapshotFile}`,
      offset: r.offset,
      reason: r.reason,
    });
  }
  return r.data;
}

/**
 * A durable `RaftStorage`: a segmented write-ahead log with group commit.
 * Each `save(batch)` becomes one checksummed record set; concurrent saves
 * share one writev and one datasync, and a save's promise resolves only once
 * its set is durable. Snapshots go to their own files. `load()`,
 * `raftStateSize()`, `snapshotSize()` and `readSnapshot()` answer from memory
 * with the lab's meaning (they include saves still in flight). The active
 * segment keeps zero-filled space ahead of its end (`preallocateBytes`), so
 * that appends overwrite allocated blocks.
 *
 * Open with `DiskPersister.open()`, which takes the directory's lock and
 * recovers: zeros after a segment's last set are preallocated space, torn
 * tails are cut (the bytes kept in a `.broken` file), corruption elsewhere
 * refuses with `WalCorruptionError`. Any write or sync error is terminal:
 * that save and every later one reject with `StorageFailedError`, and
 * nothing is retried (a failed zero-fill too, although the saves before it
 * had resolved).
 */
export class DiskPersister implements RaftStorage {
  private readonly state: EncodedRaftState;
  private readonly writer: WalWriter;
  private queue: Pending[] = [];
  private running = false;
  private startup: (() => Promise<void>) | undefined;
  private failure: StorageFailedError | undefined;
  /** State after the last queued set (what the next save validates against is `state`). */
  private queuedTip: WalTip;
  /** State after the last written set. */
  private writtenTip: WalTip;
  private lockPath: string | undefined;

  private constructor(
    private readonly o: Resolved,
    plan: RecoveryPlan,
    snapshot: Uint8Array,
    names: readonly string[],
  ) {
    this.state = new EncodedRaftState(o.codec);
    this.state.reset(
      plan.hardState,
      { index: plan.snapshot.index, term: plan.snapshot.term },
      snapshot,
      plan.entries,
    );
    this.writtenTip = {
      hardState: plan.hardState,
      snapshot: plan.snapshot,
      lastIndex: this.state.lastIndex(),
    };
    this.queuedTip = this.writtenTip;
    // The writer owns the files that stay: those recovery's repairs remove (old snapshots,
    // temporary files, dropped segments) are gone before its first write, and a later
    // compaction must not remove them again.
    const removed = new Set(
      plan.repairs.filter((r) => r.kind === 'remove' || r.kind === 'drop').map((r) => r.file),
    );
    const kept = names.filter((name) => !removed.has(name));
    this.writer = new WalWriter(
      o.fs,
      o.dir,
      o.segmentBytes,
      o.preallocateBytes,
      plan.segments,
      kept,
      o.logger,
    );
    o.logger.log('wal', 'recovered', {
      dir: o.dir,
      lastIndex: this.state.lastIndex(),
      snapshotIndex: plan.snapshot.index,
      repairs: plan.repairs.map((r) => `${r.kind} ${r.file}`),
    });
  }

  /** Opens (creating if needed), locks and recovers a data directory. */
  static async open(options: DiskPersisterOptions): Promise<DiskPersister> {
    const o = resolveOptions(options);
    await makeDir(o.fs, o.dir);
    const lockPath = await acquireLock(o.fs, o.dir, o.clock);
    try {
      const names = await o.fs.list(o.dir);
      const contents = new Map<string, Uint8Array>();
      for (const name of names) {
        if (parseSegmentName(name) !== undefined)
          contents.set(name, await o.fs.readFile(`${o.dir}/${name}`));
      }
      const recovered = plan(o, names, (name) => contents.get(name) ?? EMPTY);
      const file = recovered.snapshotFile;
      const snapshot = verifySnapshot(
        o,
        recovered,
        file === undefined ? undefined : await o.fs.readFile(`${o.dir}/${file}`),
      );
      const persister = new DiskPersister(o, recovered, snapshot, names);
      persister.lockPath = lockPath;
      await runRepairs(o.fs, o.dir, recovered.repairs);
      return persister;
    } catch (error) {
      await releaseLock(o.fs, lockPath).catch(() => {});
      throw error;
    }
  }

  /**
   * Recovers from an image of the directory read synchronously (the simulated
   * disk's `filesSync`), for harnesses whose restart cannot await. Taking the
   * lock and the repairs run before the first write; if either fails, every
   * save fails. Prefer `open()`.
   */
  static openFromImage(options: DiskPersisterOptions, image: DirImage): DiskPersister {
    const o = resolveOptions(options);
    const recovered = plan(o, image.names, image.read);
    const file = recovered.snapshotFile;
    const snapshot = verifySnapshot(
      o,
      recovered,
      file === undefined ? undefined : image.read(file),
    );
    const persister = new DiskPersister(o, recovered, snapshot, image.names);
    persister.startup = async () => {
      await makeDir(o.fs, o.dir);
      persister.lockPath = await acquireLock(o.fs, o.dir, o.clock);
      await runRepairs(o.fs, o.dir, recovered.repairs);
    };
    persister.kick();
    return persister;
  }

  load(): PersistedState {
    return this.state.load();
  }

  /**
   * Validates `batch` (throwing `InvalidPersistBatchError` synchronously, with
   * nothing changed), applies it to the in-memory state and queues its record
   * set. Resolves once the set is durable; rejects with `StorageFailedError`
   * if the persister failed or was closed.
   */
  save(batch: PersistBatch): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    validateBatch(batch, {
      snapshotIndex: this.state.meta.index,
      lastIndex: this.state.lastIndex(),
    });
    const appended = this.state.encodeEntries(batch);
    let snapshot: Pending['snapshot'];
    if (batch.snapshot !== undefined) {
      const { meta, data } = batch.snapshot;
      const copy = data.slice();
      snapshot = { ref: snapshotRefOf(meta.index, meta.term, copy), data: copy };
    }
    const empty =
      batch.snapshot === undefined &&
      batch.truncateFrom === undefined &&
      batch.append === undefined &&
      batch.hardState === undefined;
    const bytes = empty
      ? EMPTY
      : encodeSet({
          snapshot: snapshot?.ref,
          truncateFrom: batch.truncateFrom,
          append:
            batch.append === undefined
              ? undefined
              : { firstIndex: batch.append.firstIndex, entries: appended! },
          hardState: batch.hardState,
        });
    this.state.apply(batch, appended);
    const after: WalTip = {
      hardState: this.state.hardState,
      snapshot: snapshot?.ref ?? this.queuedTip.snapshot,
      lastIndex: this.state.lastIndex(),
    };
    this.queuedTip = after;
    const appendEnd = appended !== undefined && appended.length > 0 ? after.lastIndex : 0;
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ bytes, snapshot, after, appendEnd, resolve, reject });
      this.kick();
    });
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

  /** Index of the last entry (the snapshot index when the log is empty). */
  lastIndex(): number {
    return this.state.lastIndex();
  }

  /** Names of the retained log segments, oldest first (for tests and tools). */
  segmentNames(): string[] {
    return this.writer.segmentNames();
  }

  /** The terminal error, once a write or sync failed (or after close). */
  get failed(): StorageFailedError | undefined {
    return this.failure;
  }

  /** Waits for every queued save, closes the files and releases the lock. Later saves fail. */
  async close(): Promise<void> {
    if (this.failure === undefined) {
      await this.save({}).catch(() => {});
      this.fail(new Error('the persister was closed'), 'closed');
    }
    await this.writer.close().catch(() => {});
    if (this.lockPath !== undefined) await releaseLock(this.o.fs, this.lockPath).catch(() => {});
    this.lockPath = undefined;
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    void this.run();
  }

  private async run(): Promise<void> {
    try {
      const startup = this.startup;
      this.startup = undefined;
      if (startup !== undefined) await startup();
      while (this.queue.length > 0 && this.failure === undefined) {
        const group = this.queue;
        this.queue = [];
        await this.commit(group);
      }
    } catch (error) {
      this.fail(error, 'io');
    } finally {
      this.running = false;
    }
  }

  /**
   * One group: snapshot files first, then every set in one writev and one
   * datasync; once its saves resolved, compaction and preallocation.
   */
  private async commit(group: Pending[]): Promise<void> {
    try {
      let latestSnapshot: SnapshotRef | undefined;
      for (const p of group) {
        if (p.snapshot === undefined) continue;
        await this.writer.writeSnapshot(p.snapshot.ref, p.snapshot.data);
        latestSnapshot = p.snapshot.ref;
      }
      const chunks: Uint8Array[] = [];
      let appendEnd = 0;
      for (const p of group) {
        if (p.bytes.length > 0) chunks.push(p.bytes);
        if (p.appendEnd > appendEnd) appendEnd = p.appendEnd;
      }
      if (chunks.length > 0) await this.writer.append(chunks, this.writtenTip, appendEnd);
      this.writtenTip = group[group.length - 1]!.after;
      for (const p of group) p.resolve();
      // Off the resolved saves' path, before the next group (the loop is sequential).
      if (latestSnapshot !== undefined) await this.writer.compact(latestSnapshot);
      if (chunks.length > 0) await this.writer.preallocate();
    } catch (error) {
      const failure = this.fail(error, 'io');
      for (const p of group) p.reject(failure);
      throw failure;
    }
  }

  private fail(error: unknown, kind: 'io' | 'closed'): StorageFailedError {
    if (this.failure !== undefined) return this.failure;
    const reason = error instanceof Error ? error.message : String(error);
    if (kind === 'closed') {
      this.failure = new StorageFailedError({
        dir: this.o.dir,
        message: `the persister for ${this.o.dir} is closed; open a new one`,
      });
    } else if (StorageFailedError.isInstance(error)) {
      this.failure = error;
    } else {
      this.failure = new StorageFailedError({
        dir: this.o.dir,
        message: `writing ${this.o.dir} failed (${reason}); the persister accepts no more saves and never retries a sync — stop the node and restart it once the disk is healthy`,
        cause: error,
      });
    }
    this.o.logger.log('wal', 'failed', { dir: this.o.dir, reason });
    const queued = this.queue;
    this.queue = [];
    for (const p of queued) p.reject(this.failure);
    return this.failure;
  }
}
