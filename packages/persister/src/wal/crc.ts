import { crc32 as zlibCrc32 } from 'node:zlib';

/**
 * CRC-32 (IEEE 802.3, as zlib and gzip compute it) of `data`, continuing from
 * `initial` (default 0) so that chunks can be summed one after another.
 * node:zlib's crc32 exists from Node 20.15 / 22.2; raftkit needs Node ≥ 20.19.
 */
export function crc32(data: Uint8Array, initial = 0): number {
  return zlibCrc32(data, initial) >>> 0;
}
