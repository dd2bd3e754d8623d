import type { CoreState } from './state.js';

/**
 * The service snapshotted everything up to `index`: drop that log prefix.
 * The caller has checked index ≤ appliedTo. A snapshot at or below the
 * current one is stale (an InstallSnapshot overtook it) and ignored.
 */
export function compactLog(r: CoreState, index: number, data: Uint8Array): void {
  if (index <= r.log.snapshotIndex) return;
  r.log.compactTo(index);
  r.snapshotData = data;
  r.persistQueue.snapshot({ index, term: r.log.snapshotTerm }, data);
}
