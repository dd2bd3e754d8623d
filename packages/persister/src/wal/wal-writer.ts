import type { HardState, Logger } from '@raftkit/core';
import type { FileHandle, FileSystem } from '../fs/file-system.js';
import { encodeSet, type SnapshotRef } from './format.js';
import { isSnapshotName, segmentName, snapshotName } from './names.js';
import type { SegmentInfo } from './recover.js';
import { encodeSnapshotHeader } from './snapshot-file.js';

/** The state at the end of the written log: what a new segment's header records. */
export interface WalTip {
  hardState: HardState;
  snapshot: SnapshotRef;
  lastIndex: number;
}

/**
 * Owns the files of a data directory after recovery: appends record sets to
 * the active segment (one writev, one datasync per group), opens a new
 * segment when the active one reached `segmentBytes`, keeps zero-filled
 * space ahead of the active segment's end (`preallocate`), writes snapshot
 * files (temporary name, synced, renamed, directory synced) and deletes what
 * a durable snapshot made obsolete. Not reentrant: the persister serialises calls.
 *
 * Invariant: every segment but the last is completely synced; the last one's
 * verified bytes end at `size`, and bytes [size, fileSize) of it are zeros
 * (synced, unless recovery found them unsynced in the page cache: then the
 * next datasync makes them durable along with the set written over them).
 */
export class WalWriter {
  private handle: FileHandle | undefined;
  private readonly snapshots: Set<string>;
  /** A zero buffer for `preallocate`, allocated on first use. */
  private zeros: Uint8Array | undefined;
  /**
   * Whether every byte of the active segment's file is durable (set by each datasync of the
   * handle, cleared when a handle is opened on a segment recovery found). Only then may an
   * append sync just its own bytes (`writevDurable`): otherwise it must datasync the file, which
   * also makes durable the zeros recovery may have found unsynced in the page cache.
   */
  private fileSynced = false;

  constructor(
    private readonly fs: FileSystem,
    private readonly dir: string,
    private readonly segmentBytes: number,
    /** Zero-filled space kept ahead of the active segment's end (0: none). */
    private readonly preallocateBytes: number,
    /** Retained segments, oldest first; the last one is active. */
    private readonly segments: SegmentInfo[],
    existingFiles: readonly string[],
    private readonly logger: Logger,
  ) {
    this.snapshots = new Set(existingFiles.filter(isSnapshotName));
  }

  private path(name: string): string {
    return `${this.dir}/${name}`;
  }

  /** Writes a snapshot file so that it is durable under its final name; returns the name. */
  async writeSnapshot(ref: SnapshotRef, data: Uint8Array): Promise<string> {
    const name = snapshotName(ref.index, ref.term, ref.crc);
    const tmp = this.path(`${name}.tmp`);
    const fh = await this.fs.open(tmp, 'create');
    try {
      await fh.truncate(0);
      await fh.writev([encodeSnapshotHeader(ref), data], 0);
      await fh.datasync();
    } finally {
      await fh.close();
    }
    await this.fs.rename(tmp, this.path(name));
    await this.fs.syncDir(this.dir);
    this.snapshots.add(name);
    return name;
  }

  /**
   * Appends record sets and makes them durable. `tip` is the log's state before
   * them (a new segment's header); `maxAppended` the highest index they append (0: none).
   */
  async append(chunks: readonly Uint8Array[], tip: WalTip, maxAppended: number): Promise<void> {
    let active = this.segments[this.segments.length - 1];
    if (active === undefined || active.size >= this.segmentBytes) active = await this.cut(tip);
    const handle = await this.activeHandle(active);
    let total = 0;
    for (const c of chunks) total += c.length;
    if (this.fileSynced && handle.writevDurable !== undefined) {
      // One system call where the file system offers it (O_DSYNC): the group's bytes are durable
      // when it returns, as after writev + datasync, at one thread-pool round trip instead of two.
      await handle.writevDurable(chunks, active.size);
    } else {
      await handle.writev(chunks, active.size);
      await handle.datasync();
      this.fileSynced = true;
    }
    active.size += total;
    if (active.size > active.fileSize) active.fileSize = active.size;
    if (maxAppended > active.maxAppended) active.maxAppended = maxAppended;
  }

  /**
   * Keeps zeroed space ahead of the active segment's end, so that appends
   * overwrite allocated blocks instead of growing the file (whose size change
   * every fdatasync would have to journal). When less than half of
   * `preallocateBytes` is left, writes zeros up to `size + preallocateBytes`
   * (never past `segmentBytes`: a full segment is not written to again) and
   * syncs them. Called between groups, after a group's saves resolved.
   */
  async preallocate(): Promise<void> {
    const active = this.segments[this.segments.length - 1];
    if (this.preallocateBytes === 0 || active === undefined) return;
    if (active.fileSize - active.size >= this.preallocateBytes / 2) return;
    const target = Math.min(active.size + this.preallocateBytes, this.segmentBytes);
    if (target <= active.fileSize) return;
    const handle = await this.activeHandle(active);
    const length = target - active.fileSize;
    if (this.zeros === undefined || this.zeros.length < length)
      this.zeros = new Uint8Array(this.preallocateBytes);
    await handle.write(this.zeros.subarray(0, length), active.fileSize);
    await handle.datasync();
    this.fileSynced = true;
    active.fileSize = target;
  }

  private async activeHandle(active: SegmentInfo): Promise<FileHandle> {
    if (this.handle === undefined) {
      this.handle = await this.fs.open(this.path(active.name), 'write');
      this.fileSynced = false;
    }
    return this.handle;
  }

  /** Opens the next segment: created, header written and synced, directory synced. */
  private async cut(tip: WalTip): Promise<SegmentInfo> {
    const previous = this.segments[this.segments.length - 1];
    const seq = (previous?.seq ?? 0) + 1;
    const firstIndex = tip.lastIndex + 1;
    const name = segmentName(seq, firstIndex);
    const header = encodeSet({
      header: { seq, firstIndex, hardState: tip.hardState, snapshot: tip.snapshot },
    });
    const fh = await this.fs.open(this.path(name), 'create-exclusive');
    try {
      await fh.write(header, 0);
      await fh.datasync();
      await this.fs.syncDir(this.dir);
    } catch (error) {
      await fh.close().catch(() => {});
      throw error;
    }
    await this.handle?.close();
    this.handle = fh;
    this.fileSynced = true;
    const info: SegmentInfo = {
      name,
      seq,
      firstIndex,
      size: header.length,
      fileSize: header.length,
      maxAppended: 0,
    };
    this.segments.push(info);
    this.logger.log('wal', 'segment', { name });
    return info;
  }

  /**
   * After a snapshot became durable in the log: removes older snapshot files and
   * every leading segment (never the active one) whose appends it covers, then
   * syncs the directory.
   */
  async compact(snapshot: SnapshotRef): Promise<void> {
    const keep = snapshotName(snapshot.index, snapshot.term, snapshot.crc);
    const doomed: string[] = [];
    for (const name of this.snapshots) if (name !== keep) doomed.push(name);
    let drop = 0;
    while (drop < this.segments.length - 1 && this.segments[drop]!.maxAppended <= snapshot.index)
      drop++;
    const segments = this.segments.splice(0, drop);
    for (const name of doomed) {
      await this.fs.remove(this.path(name));
      this.snapshots.delete(name);
    }
    for (const s of segments) await this.fs.remove(this.path(s.name));
    if (doomed.length + segments.length > 0) {
      await this.fs.syncDir(this.dir);
      this.logger.log('wal', 'compact', { snapshots: doomed.length, segments: segments.length });
    }
  }

  /** Names of the retained segments, oldest first. */
  segmentNames(): string[] {
    return this.segments.map((s) => s.name);
  }

  async close(): Promise<void> {
    const fh = this.handle;
    this.handle = undefined;
    await fh?.close();
  }
}
