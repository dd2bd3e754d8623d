import type { HardState, PersistBatch } from '@raftkit/core';
import { WalCorruptionError } from '../errors/wal-corruption-error.js';
import { validateBatch } from '../validate-batch.js';
import {
  findCommitAfter,
  NO_SNAPSHOT,
  type SetContent,
  type SnapshotRef,
  scanSegment,
} from './format.js';
import { brokenName, isSnapshotName, isTempName, parseSegmentName, snapshotName } from './names.js';

const EMPTY = new Uint8Array(0);

/** A retained segment after recovery. `maxAppended`: highest index any append in it wrote (0: none). */
export interface SegmentInfo {
  name: string;
  seq: number;
  firstIndex: number;
  /** Bytes of verified sets: where the next write goes when this is the active segment. */
  size: number;
  /**
   * Length of the file once the repairs ran (≥ `size`): bytes [size, fileSize) are
   * zeros, space preallocated ahead of the log that the next writes overwrite.
   */
  fileSize: number;
  maxAppended: number;
}

/** A change recovery makes before the first write (in this order, each durable before the next). */
export type Repair =
  /**
   * A torn tail: write `bytes` (those from `offset` on, without trailing zeros) into
   * `broken`, then cut `file` at `offset`.
   */
  | { kind: 'cut'; file: string; offset: number; broken: string; bytes: Uint8Array }
  /**
   * A last segment with no complete set at all: keep its bytes (without trailing
   * zeros) in `broken` (if any), remove it.
   */
  | { kind: 'drop'; file: string; broken: string | undefined; bytes: Uint8Array }
  /** A leftover temporary file or a snapshot the log does not reference. */
  | { kind: 'remove'; file: string };

/** What the log says, before the snapshot file is read. */
export interface RecoveryPlan {
  hardState: HardState;
  snapshot: SnapshotRef;
  /** The snapshot file to read (undefined when there is no snapshot: `NO_SNAPSHOT`). */
  snapshotFile: string | undefined;
  /** Encoded entries; entries[i] is at index snapshot.index + 1 + i. */
  entries: Uint8Array[];
  segments: SegmentInfo[];
  repairs: Repair[];
}

/** Whether every byte of `bytes` from `from` on is zero (true for an empty range). */
export function zeroFrom(bytes: Uint8Array, from: number): boolean {
  for (let i = from; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** `bytes` without its trailing zeros (the preallocated space after a torn set). */
function trimZeros(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return bytes.subarray(0, end);
}

/**
 * Replays the segments of a data directory (their bytes in `segments`, by
 * name) into the state they describe, and plans the repairs. Pure: reads
 * nothing, writes nothing. Throws `WalCorruptionError` (with the path and
 * offset) on anything but a torn tail of the last segment.
 *
 * Bytes after a segment's last complete set that are all zero are
 * preallocated space, in any segment: no repair, and the segment's `size`
 * ends before them. A zero byte can never start a record (type 0 does not
 * exist), so zeros never parse as a set. Anything else there is a torn tail
 * (last segment: cut, the cut bytes without their trailing zeros kept in a
 * `.broken` file) or corruption (any other segment).
 */
export function planRecovery(
  dir: string,
  names: readonly string[],
  segments: ReadonlyMap<string, Uint8Array>,
): RecoveryPlan {
  const path = (name: string) => `${dir}/${name}`;
  const corrupt = (name: string, offset: number, reason: string): never => {
    throw new WalCorruptionError({ file: path(name), offset, reason });
  };
  const found = names
    .map((name) => ({ name, parsed: parseSegmentName(name) }))
    .filter(
      (s): s is { name: string; parsed: { seq: number; firstIndex: number } } =>
        s.parsed !== undefined,
    )
    .sort((a, b) => a.parsed.seq - b.parsed.seq);
  for (let i = 1; i < found.length; i++) {
    if (found[i]!.parsed.seq !== found[i - 1]!.parsed.seq + 1) {
      corrupt(found[i]!.name, 0, `segment ${found[i - 1]!.parsed.seq + 1} is missing before it`);
    }
  }
  const repairs: Repair[] = [];
  const scanned: {
    name: string;
    seq: number;
    firstIndex: number;
    sets: { offset: number; content: SetContent }[];
    size: number;
    fileSize: number;
  }[] = [];
  found.forEach(({ name, parsed }, i) => {
    const bytes = segments.get(name);
    if (bytes === undefined) throw new Error(`planRecovery: bytes of ${name} not supplied`);
    const scan = scanSegment(bytes);
    const last = i === found.length - 1;
    const preallocated = zeroFrom(bytes, scan.validEnd);
    if (scan.failure !== undefined && !preallocated) {
      const { offset, reason, verified } = scan.failure;
      if (!last) corrupt(name, offset, `${reason} in a segment that is not the last one`);
      if (verified) corrupt(name, offset, reason);
      const later = findCommitAfter(bytes, scan.validEnd);
      if (later !== undefined) {
        corrupt(
          name,
          offset,
          `${reason}, and a valid record set follows at offset ${later}, so this is not a torn tail`,
        );
      }
    }
    // The torn bytes to keep aside (none when the tail is preallocated zeros).
    const torn = preallocated ? EMPTY : trimZeros(bytes.subarray(scan.validEnd));
    if (scan.sets.length === 0) {
      // Not even the header is complete: the segment was being created at the crash.
      if (!last) corrupt(name, 0, 'an empty segment that is not the last one');
      repairs.push({
        kind: 'drop',
        file: name,
        broken: torn.length > 0 ? brokenName(name, 0) : undefined,
        bytes: torn,
      });
      return;
    }
    if (!preallocated)
      repairs.push({
        kind: 'cut',
        file: name,
        offset: scan.validEnd,
        broken: brokenName(name, scan.validEnd),
        bytes: torn,
      });
    scanned.push({
      name,
      seq: parsed.seq,
      firstIndex: parsed.firstIndex,
      sets: scan.sets,
      size: scan.validEnd,
      fileSize: preallocated ? bytes.length : scan.validEnd,
    });
  });

  // Sparse replay: log[k] is index base + 1 + k; entries before the first retained
  // segment are unknown (holes) and must end up covered by the snapshot or truncated.
  let hardState: HardState = { term: 0, votedFor: -1 };
  let snapshot = NO_SNAPSHOT;
  let base = 0;
  let lastIndex = 0;
  let log: (Uint8Array | undefined)[] = [];
  const infos: SegmentInfo[] = [];
  scanned.forEach((seg, i) => {
    const header = seg.sets[0]?.content.header;
    if (header === undefined || header.seq !== seg.seq || header.firstIndex !== seg.firstIndex) {
      corrupt(seg.name, 0, 'the segment does not start with its own header');
    }
    const h = header!;
    if (i === 0) {
      hardState = h.hardState;
      snapshot = h.snapshot;
      base = h.snapshot.index;
      lastIndex = h.firstIndex - 1;
      if (lastIndex < base) corrupt(seg.name, 0, 'header starts the log inside its snapshot');
      log = new Array(lastIndex - base);
    } else if (
      h.firstIndex !== lastIndex + 1 ||
      h.hardState.term !== hardState.term ||
      h.hardState.votedFor !== hardState.votedFor ||
      h.snapshot.index !== snapshot.index ||
      h.snapshot.crc !== snapshot.crc
    ) {
      corrupt(seg.name, 0, 'segment header disagrees with the segments before it');
    }
    let maxAppended = 0;
    for (const { offset, content } of seg.sets.slice(1)) {
      if (content.header !== undefined) corrupt(seg.name, offset, 'a second segment header');
      const batch: PersistBatch = {};
      if (content.snapshot !== undefined) {
        batch.snapshot = {
          meta: { index: content.snapshot.index, term: content.snapshot.term },
          data: new Uint8Array(0),
        };
      }
      if (content.truncateFrom !== undefined) batch.truncateFrom = content.truncateFrom;
      if (content.append !== undefined) {
        batch.append = {
          firstIndex: content.append.firstIndex,
          entries: content.append.entries.map(() => ({ term: 1, command: null })),
        };
      }
      if (content.hardState !== undefined) batch.hardState = content.hardState;
      try {
        validateBatch(batch, { snapshotIndex: base, lastIndex });
      } catch (error) {
        corrupt(
          seg.name,
          offset,
          `record set does not follow the log: ${(error as Error).message}`,
        );
      }
      if (content.snapshot !== undefined) {
        const s = content.snapshot;
        if (s.index > lastIndex) {
          log = [];
          lastIndex = s.index;
        } else log = log.slice(s.index - base);
        base = s.index;
        snapshot = s;
      }
      if (content.truncateFrom !== undefined) {
        log.length = content.truncateFrom - base - 1;
        lastIndex = content.truncateFrom - 1;
      }
      if (content.append !== undefined) {
        const { firstIndex, entries } = content.append;
        entries.forEach((e, j) => {
          log[firstIndex - base - 1 + j] = e;
        });
        lastIndex += entries.length;
        if (entries.length > 0) maxAppended = Math.max(maxAppended, lastIndex);
      }
      if (content.hardState !== undefined) hardState = content.hardState;
    }
    infos.push({
      name: seg.name,
      seq: seg.seq,
      firstIndex: seg.firstIndex,
      size: seg.size,
      fileSize: seg.fileSize,
      maxAppended,
    });
  });
  const entries: Uint8Array[] = [];
  for (let k = 0; k < lastIndex - base; k++) {
    const e = log[k];
    if (e === undefined)
      corrupt(
        infos[0]!.name,
        0,
        `log entry ${base + 1 + k} is in no segment (a segment was deleted or lost)`,
      );
    entries.push(e!);
  }
  // Any snapshot but "none" has a file: a snapshot at index 0 may still carry a term and data.
  const none = snapshot.index === 0 && snapshot.term === 0 && snapshot.length === 0;
  const snapshotFile = none ? undefined : snapshotName(snapshot.index, snapshot.term, snapshot.crc);
  if (snapshotFile !== undefined && !names.includes(snapshotFile)) {
    corrupt(snapshotFile, 0, 'the snapshot the log refers to is missing');
  }
  for (const name of names) {
    if (isTempName(name) || (isSnapshotName(name) && name !== snapshotFile))
      repairs.push({ kind: 'remove', file: name });
  }
  return { hardState, snapshot, snapshotFile, entries, segments: infos, repairs };
}
