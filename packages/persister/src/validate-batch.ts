import { InvalidPersistBatchError } from './errors/invalid-persist-batch-error.js';
import type { HardState, PersistBatch, SnapshotMeta } from '@raftkit/core';

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function fail(field: string, message: string): never {
  throw new InvalidPersistBatchError({ field, message });
}

/** The log's shape before a batch: entries cover (snapshotIndex, lastIndex]. */
export interface LogBounds {
  snapshotIndex: number;
  lastIndex: number;
}

/**
 * Checks a batch against the current log bounds without changing anything,
 * and returns the bounds after it. Throws InvalidPersistBatchError.
 */
export function validateBatch(batch: PersistBatch, bounds: LogBounds): LogBounds {
  if (typeof batch !== 'object' || batch === null) fail('batch', 'must be an object');
  let { snapshotIndex, lastIndex } = bounds;
  if (batch.snapshot !== undefined) {
    const { meta, data } = batch.snapshot;
    validateMeta(meta);
    if (!(data instanceof Uint8Array)) fail('snapshot.data', 'must be a Uint8Array');
    if (meta.index < snapshotIndex) {
      fail(
        'snapshot.meta.index',
        `${meta.index} is older than the stored snapshot at ${snapshotIndex}`,
      );
    }
    snapshotIndex = meta.index;
    lastIndex = Math.max(lastIndex, meta.index);
  }
  if (batch.truncateFrom !== undefined) {
    const from = batch.truncateFrom;
    if (!isIndex(from) || from < 1)
      fail('truncateFrom', `must be an integer ≥ 1, got ${String(from)}`);
    if (from <= snapshotIndex)
      fail('truncateFrom', `${from} is inside the snapshot (which covers up to ${snapshotIndex})`);
    if (from > lastIndex + 1)
      fail('truncateFrom', `${from} is past the end of the log (last index ${lastIndex})`);
    lastIndex = from - 1;
  }
  if (batch.append !== undefined) {
    const { firstIndex, entries } = batch.append;
    if (!isIndex(firstIndex) || firstIndex < 1)
      fail('append.firstIndex', `must be an integer ≥ 1, got ${String(firstIndex)}`);
    if (firstIndex !== lastIndex + 1) {
      fail(
        'append.firstIndex',
        `${firstIndex} would leave a gap or overlap: the log ends at ${lastIndex}; truncate first to overwrite`,
      );
    }
    if (!Array.isArray(entries)) fail('append.entries', 'must be an array');
    entries.forEach((entry, i) => {
      if (typeof entry !== 'object' || entry === null || !isIndex(entry.term) || entry.term < 1) {
        fail(`append.entries[${i}].term`, 'each entry needs an integer term ≥ 1');
      }
    });
    lastIndex += entries.length;
  }
  if (batch.hardState !== undefined) validateHardState(batch.hardState);
  return { snapshotIndex, lastIndex };
}

function validateMeta(meta: SnapshotMeta): void {
  if (typeof meta !== 'object' || meta === null) fail('snapshot.meta', 'must be an object');
  if (!isIndex(meta.index))
    fail('snapshot.meta.index', `must be an integer ≥ 0, got ${String(meta.index)}`);
  if (!isIndex(meta.term))
    fail('snapshot.meta.term', `must be an integer ≥ 0, got ${String(meta.term)}`);
}

function validateHardState(hs: HardState): void {
  if (typeof hs !== 'object' || hs === null) fail('hardState', 'must be an object');
  if (!isIndex(hs.term)) fail('hardState.term', `must be an integer ≥ 0, got ${String(hs.term)}`);
  if (!Number.isSafeInteger(hs.votedFor) || hs.votedFor < -1) {
    fail('hardState.votedFor', `must be a peer index or -1, got ${String(hs.votedFor)}`);
  }
}
