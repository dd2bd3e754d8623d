import { hex } from './bytes.js';

/**
 * File names in a data directory. Hex fields are fixed width, so names sort in
 * log order: `<seq>-<firstIndex>.wal` (a segment: its sequence number and the
 * log index its first append would have), `snap-<index>-<term>-<crc>.snap`
 * (a snapshot; the checksum makes a rewrite of the same position a new name),
 * `<name>.tmp` (a file being written), `<segment>.<offset>.broken` (bytes cut
 * from a torn tail at recovery, kept for inspection) and `LOCK`.
 */
export const LOCK_FILE = 'LOCK';

const segmentPattern = /^([0-9a-f]{16})-([0-9a-f]{16})\.wal$/;
const snapshotPattern = /^snap-([0-9a-f]{16})-([0-9a-f]{16})-([0-9a-f]{8})\.snap$/;

export function segmentName(seq: number, firstIndex: number): string {
  return `${hex(seq, 16)}-${hex(firstIndex, 16)}.wal`;
}

export function parseSegmentName(name: string): { seq: number; firstIndex: number } | undefined {
  const m = segmentPattern.exec(name);
  if (m === null) return undefined;
  return { seq: Number.parseInt(m[1]!, 16), firstIndex: Number.parseInt(m[2]!, 16) };
}

export function snapshotName(index: number, term: number, crc: number): string {
  return `snap-${hex(index, 16)}-${hex(term, 16)}-${hex(crc, 8)}.snap`;
}

export function isSnapshotName(name: string): boolean {
  return snapshotPattern.test(name);
}

export function isTempName(name: string): boolean {
  return name.endsWith('.tmp');
}

export function brokenName(segment: string, offset: number): string {
  return `${segment}.${hex(offset, 16)}.broken`;
}
