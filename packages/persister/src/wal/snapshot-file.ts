import { getU32, getU64, putU32, putU64, viewOf } from './bytes.js';
import { crc32 } from './crc.js';
import type { SnapshotRef } from './format.js';

/**
 * A snapshot file: a 36-byte header (u32 magic, u32 version, u64 index,
 * u64 term, u64 data length, u32 CRC-32 of the data), then the service's bytes.
 */
const MAGIC = 0x4e53_4b52; // "RKSN"
const VERSION = 1;
export const SNAPSHOT_HEADER_BYTES = 36;

export function encodeSnapshotHeader(ref: SnapshotRef): Uint8Array {
  const out = new Uint8Array(SNAPSHOT_HEADER_BYTES);
  const v = viewOf(out);
  putU32(v, 0, MAGIC);
  putU32(v, 4, VERSION);
  putU64(v, 8, ref.index);
  putU64(v, 16, ref.term);
  putU64(v, 24, ref.length);
  putU32(v, 32, ref.crc);
  return out;
}

export function snapshotRefOf(index: number, term: number, data: Uint8Array): SnapshotRef {
  return { index, term, length: data.length, crc: crc32(data) };
}

/**
 * The data of a snapshot file if it is whole and matches `expected`; otherwise
 * the byte offset of the first problem and what it is.
 */
export function readSnapshotFile(
  bytes: Uint8Array,
  expected: SnapshotRef,
): { ok: true; data: Uint8Array } | { ok: false; offset: number; reason: string } {
  if (bytes.length < SNAPSHOT_HEADER_BYTES)
    return { ok: false, offset: bytes.length, reason: 'snapshot header cut short' };
  const v = viewOf(bytes);
  if (getU32(v, 0) !== MAGIC || getU32(v, 4) !== VERSION)
    return { ok: false, offset: 0, reason: 'bad snapshot magic or version' };
  if (getU64(v, 8) !== expected.index || getU64(v, 16) !== expected.term) {
    return { ok: false, offset: 8, reason: 'snapshot position differs from the log' };
  }
  if (getU64(v, 24) !== expected.length || getU32(v, 32) !== expected.crc) {
    return { ok: false, offset: 24, reason: 'snapshot length or checksum differs from the log' };
  }
  const data = bytes.subarray(SNAPSHOT_HEADER_BYTES);
  if (data.length !== expected.length) {
    return {
      ok: false,
      offset: SNAPSHOT_HEADER_BYTES + Math.min(data.length, expected.length),
      reason: 'snapshot data length differs',
    };
  }
  if (crc32(data) !== expected.crc)
    return { ok: false, offset: SNAPSHOT_HEADER_BYTES, reason: 'snapshot data checksum mismatch' };
  return { ok: true, data: data.slice() };
}
