import type { HardState } from '@raftkit/core';
import { getU32, getU64, putU32, putU64, viewOf } from './bytes.js';
import { crc32 } from './crc.js';

/**
 * The segment format. A segment is a sequence of record sets; one `save()`
 * is one set, and a segment opens with a set holding only a header.
 *
 *   record     = u32 bodyLength, u8 type, body
 *   record set = record+ commit
 *   commit     = body: u32 COMMIT_MAGIC, u32 setLength, u32 crc32(set bytes before the commit)
 *
 * A set counts only when its commit record is complete and its checksum
 * matches: a torn write leaves a set without a valid commit, which recovery
 * cuts off. A set holds at least one record (setLength > 0): the file may
 * hold zeros after the log's end (preallocated space), and a write torn
 * inside a commit record leaves setLength and CRC zero there, which would
 * otherwise describe a valid empty set (the CRC-32 of no bytes is 0). No
 * record has type 0, so zeros never start a record. Within a set the
 * records follow the batch order: snapshot, truncate, append, hard state.
 * Integers are little-endian; "u64" fields hold safe integers.
 */
export const RecordType = {
  header: 1,
  snapshot: 2,
  truncate: 3,
  append: 4,
  hardState: 5,
  commit: 6,
} as const;

const HEAD = 5; // u32 body length + u8 type
const COMMIT_BODY = 12;
export const COMMIT_BYTES = HEAD + COMMIT_BODY;
const COMMIT_MAGIC = 0x434b_5752; // "RWKC"
const SEGMENT_MAGIC = 0x4c41_574b; // "KWAL"
const FORMAT_VERSION = 1;
/** No record body is larger (1 GiB); a larger length field is corruption. */
const MAX_BODY = 1 << 30;
const HEADER_BODY = 4 + 4 + 8 * 8 + 4;
const SNAPSHOT_BODY = 8 * 3 + 4;

/** A snapshot as the log names it: position, and length and CRC-32 of its data. */
export interface SnapshotRef {
  index: number;
  term: number;
  length: number;
  crc: number;
}

export const NO_SNAPSHOT: SnapshotRef = { index: 0, term: 0, length: 0, crc: 0 };

/** The state a segment starts from (so that older segments can be deleted). */
export interface SegmentHeader {
  seq: number;
  /** lastIndex + 1 when the segment was opened. */
  firstIndex: number;
  hardState: HardState;
  snapshot: SnapshotRef;
}

/** What one record set holds: a segment header alone, or one persist batch (snapshot by reference). */
export interface SetContent {
  header?: SegmentHeader;
  snapshot?: SnapshotRef;
  truncateFrom?: number;
  /** Entries as stored: each the codec's encoding of [term, command]. */
  append?: { firstIndex: number; entries: readonly Uint8Array[] };
  hardState?: HardState;
}

/** Encodes one record set, commit record included, into one buffer. */
export function encodeSet(content: SetContent): Uint8Array {
  let size = COMMIT_BYTES;
  if (content.header !== undefined) size += HEAD + HEADER_BODY;
  if (content.snapshot !== undefined) size += HEAD + SNAPSHOT_BODY;
  if (content.truncateFrom !== undefined) size += HEAD + 8;
  if (content.append !== undefined) {
    size += HEAD + 12;
    for (const e of content.append.entries) size += 4 + e.length;
  }
  if (content.hardState !== undefined) size += HEAD + 16;
  const out = new Uint8Array(size);
  const v = viewOf(out);
  let at = 0;
  const head = (type: number, body: number) => {
    putU32(v, at, body);
    out[at + 4] = type;
    at += HEAD;
  };
  if (content.header !== undefined) {
    const h = content.header;
    head(RecordType.header, HEADER_BODY);
    putU32(v, at, SEGMENT_MAGIC);
    putU32(v, at + 4, FORMAT_VERSION);
    putU64(v, at + 8, h.seq);
    putU64(v, at + 16, h.firstIndex);
    putU64(v, at + 24, h.hardState.term);
    putU64(v, at + 32, h.hardState.votedFor + 1);
    putSnapshotRef(v, at + 40, h.snapshot);
    at += HEADER_BODY;
  }
  if (content.snapshot !== undefined) {
    head(RecordType.snapshot, SNAPSHOT_BODY);
    putSnapshotRef(v, at, content.snapshot);
    at += SNAPSHOT_BODY;
  }
  if (content.truncateFrom !== undefined) {
    head(RecordType.truncate, 8);
    putU64(v, at, content.truncateFrom);
    at += 8;
  }
  if (content.append !== undefined) {
    const { firstIndex, entries } = content.append;
    let body = 12;
    for (const e of entries) body += 4 + e.length;
    head(RecordType.append, body);
    putU64(v, at, firstIndex);
    putU32(v, at + 8, entries.length);
    at += 12;
    for (const e of entries) {
      putU32(v, at, e.length);
      out.set(e, at + 4);
      at += 4 + e.length;
    }
  }
  if (content.hardState !== undefined) {
    head(RecordType.hardState, 16);
    putU64(v, at, content.hardState.term);
    putU64(v, at + 8, content.hardState.votedFor + 1);
    at += 16;
  }
  if (at === 0) throw new Error('encodeSet: a record set holds at least one record');
  const crc = crc32(out.subarray(0, at));
  head(RecordType.commit, COMMIT_BODY);
  putU32(v, at, COMMIT_MAGIC);
  putU32(v, at + 4, at - HEAD);
  putU32(v, at + 8, crc);
  return out;
}

function putSnapshotRef(v: DataView, at: number, s: SnapshotRef): void {
  putU64(v, at, s.index);
  putU64(v, at + 8, s.term);
  putU64(v, at + 16, s.length);
  putU32(v, at + 24, s.crc);
}

function getSnapshotRef(v: DataView, at: number): SnapshotRef | undefined {
  const ref = {
    index: getU64(v, at),
    term: getU64(v, at + 8),
    length: getU64(v, at + 16),
    crc: getU32(v, at + 24),
  };
  return ref.index < 0 || ref.term < 0 || ref.length < 0 ? undefined : ref;
}

/** A set that parsed and verified, at [offset, end) of its segment. */
export interface ParsedSet {
  offset: number;
  end: number;
  content: SetContent;
}

/**
 * Why parsing stopped before the end of a segment. `verified`: the checksum
 * matched but the records make no sense — never a torn write.
 */
export interface ScanFailure {
  offset: number;
  reason: string;
  verified: boolean;
}

export type SetResult = { ok: true; set: ParsedSet } | { ok: false; failure: ScanFailure };

/** Parses and verifies the record set starting at `start`. */
export function parseSetAt(bytes: Uint8Array, start: number): SetResult {
  const v = viewOf(bytes);
  const fail = (offset: number, reason: string, verified = false): SetResult => ({
    ok: false,
    failure: { offset, reason, verified },
  });
  const records: { type: number; at: number; length: number }[] = [];
  let pos = start;
  for (;;) {
    if (pos + HEAD > bytes.length) return fail(pos, 'the file ends inside a record header');
    const length = getU32(v, pos);
    const type = bytes[pos + 4]!;
    if (type < RecordType.header || type > RecordType.commit)
      return fail(pos, `unknown record type ${type}`);
    if (length > MAX_BODY) return fail(pos, `record length ${length} is impossible`);
    if (pos + HEAD + length > bytes.length) return fail(pos, 'the file ends inside a record');
    if (type !== RecordType.commit) {
      records.push({ type, at: pos + HEAD, length });
      pos += HEAD + length;
      continue;
    }
    if (length !== COMMIT_BODY || getU32(v, pos + HEAD) !== COMMIT_MAGIC)
      return fail(pos, 'malformed commit record');
    if (pos === start) return fail(pos, 'a commit record with no record before it');
    if (getU32(v, pos + HEAD + 4) !== pos - start)
      return fail(pos, 'commit record length does not match its set');
    if (crc32(bytes.subarray(start, pos)) !== getU32(v, pos + HEAD + 8)) {
      return fail(start, 'record set checksum mismatch');
    }
    const content = decodeRecords(v, records);
    if (typeof content === 'string') return fail(start, content, true);
    return { ok: true, set: { offset: start, end: pos + COMMIT_BYTES, content } };
  }
}

const order = [
  RecordType.snapshot,
  RecordType.truncate,
  RecordType.append,
  RecordType.hardState,
] as number[];

function decodeRecords(
  v: DataView,
  records: { type: number; at: number; length: number }[],
): SetContent | string {
  const content: SetContent = {};
  let last = -1;
  for (const { type, at, length } of records) {
    if (type === RecordType.header) {
      if (records.length !== 1 || length !== HEADER_BODY)
        return 'a segment header must be alone in its set';
      if (getU32(v, at) !== SEGMENT_MAGIC) return 'bad segment magic';
      if (getU32(v, at + 4) !== FORMAT_VERSION)
        return `unsupported format version ${getU32(v, at + 4)}`;
      const snapshot = getSnapshotRef(v, at + 40);
      const header = {
        seq: getU64(v, at + 8),
        firstIndex: getU64(v, at + 16),
        hardState: { term: getU64(v, at + 24), votedFor: getU64(v, at + 32) - 1 },
        snapshot,
      };
      if (
        snapshot === undefined ||
        header.seq < 0 ||
        header.firstIndex < 1 ||
        header.hardState.term < 0 ||
        header.hardState.votedFor < -1
      ) {
        return 'segment header fields out of range';
      }
      content.header = { ...header, snapshot };
      continue;
    }
    const rank = order.indexOf(type);
    if (rank <= last) return `record type ${type} out of order`;
    last = rank;
    if (type === RecordType.snapshot) {
      if (length !== SNAPSHOT_BODY) return 'malformed snapshot record';
      const ref = getSnapshotRef(v, at);
      if (ref === undefined) return 'snapshot record fields out of range';
      content.snapshot = ref;
    } else if (type === RecordType.truncate) {
      if (length !== 8 || getU64(v, at) < 1) return 'malformed truncate record';
      content.truncateFrom = getU64(v, at);
    } else if (type === RecordType.append) {
      const firstIndex = getU64(v, at);
      const count = getU32(v, at + 8);
      const entries: Uint8Array[] = [];
      let pos = at + 12;
      const end = at + length;
      for (let i = 0; i < count; i++) {
        if (pos + 4 > end) return 'append record ends early';
        const n = getU32(v, pos);
        if (pos + 4 + n > end) return 'append record ends early';
        entries.push(new Uint8Array(v.buffer, v.byteOffset + pos + 4, n).slice());
        pos += 4 + n;
      }
      if (pos !== end || firstIndex < 1) return 'malformed append record';
      content.append = { firstIndex, entries };
    } else if (type === RecordType.hardState) {
      const term = getU64(v, at);
      const vote = getU64(v, at + 8);
      if (length !== 16 || term < 0 || vote < 0) return 'malformed hard state record';
      content.hardState = { term, votedFor: vote - 1 };
    }
  }
  return content;
}

/** Every verified set from `from` until the first failure (or the end). */
export function scanSegment(
  bytes: Uint8Array,
  from = 0,
): { sets: ParsedSet[]; validEnd: number; failure?: ScanFailure } {
  const sets: ParsedSet[] = [];
  let pos = from;
  while (pos < bytes.length) {
    const r = parseSetAt(bytes, pos);
    if (!r.ok) return { sets, validEnd: pos, failure: r.failure };
    sets.push(r.set);
    pos = r.set.end;
  }
  return { sets, validEnd: pos };
}

/**
 * The offset of a verified commit record after `from` whose set also lies
 * after `from`, if any: proof that damage at `from` is not a torn tail.
 */
export function findCommitAfter(bytes: Uint8Array, from: number): number | undefined {
  const v = viewOf(bytes);
  for (let p = from; p + COMMIT_BYTES <= bytes.length; p++) {
    if (bytes[p + 4] !== RecordType.commit || getU32(v, p) !== COMMIT_BODY) continue;
    if (getU32(v, p + HEAD) !== COMMIT_MAGIC) continue;
    const start = p - getU32(v, p + HEAD + 4);
    if (start < from || start >= p) continue; // sets are never empty
    if (crc32(bytes.subarray(start, p)) === getU32(v, p + HEAD + 8)) return p;
  }
  return undefined;
}
