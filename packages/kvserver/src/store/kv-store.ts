import type { KvErr } from '@raftkit/kv-protocol';
import type { Bin } from './bin.js';
import { KeyIndex } from './key-index.js';
import type { BinKeyValue } from './types.js';

/**
 * One version of a key. `version === 0` marks a tombstone: the key was
 * deleted at revision `mod`.
 */
export interface Rev {
  mod: number;
  create: number;
  version: number;
  value: Bin;
  lease: number;
}

export interface Lease {
  id: number;
  /** Seconds. */
  ttl: number;
  keys: Set<Bin>;
}

type Err = Exclude<KvErr, 'OK'>;

/** Reads at this revision mean "the latest". */
export const LATEST = 0;

/**
 * etcd's multi-version key/value model (mvcc): a store-wide revision that
 * every write increments once (all writes of one txn share it), per key
 * `createRevision`, `modRevision` and `version`, and leases.
 *
 * History: versions at or after `firstRevision()` stay readable. That is the
 * later of the explicit compaction point and `revision - retainRevisions`;
 * with `retainRevisions` 0 (the default) only the current revision is kept,
 * so the store's memory and snapshot are linear in its live content.
 *
 * Invariants: for every key in `records`, `revs` is non-empty and ascending
 * by `mod`, and the key is in `index`; a lease's `keys` are exactly the live
 * keys whose latest version names it.
 */
export class KvStore {
  /** key → versions, ascending by mod revision. */
  readonly records = new Map<Bin, Rev[]>();
  readonly index = new KeyIndex();
  readonly leases = new Map<number, Lease>();
  /** The current store revision (1 for an empty store, as etcd). */
  revision = 1;
  /** The explicit compaction point (0: never compacted). */
  compactRevision = 0;
  /** Live keys. */
  liveKeys = 0;
  private write: { begin: number; changed: boolean; touched: Bin[] } | undefined;

  constructor(readonly retainRevisions = 0) {}

  /** The oldest revision that can still be read. */
  firstRevision(): number {
    return Math.max(this.compactRevision, this.revision - this.retainRevisions, 1);
  }

  /** Checks a read revision (≤ 0: latest) against `current`; returns the revision to read at. */
  readRevision(requested: number | undefined, current = this.revision): number | Err {
    if (requested === undefined || requested <= 0) return current;
    if (requested > current) return 'ErrFutureRevision';
    if (requested < this.firstRevision()) return 'ErrCompacted';
    return requested;
  }

  /** The key's version visible at revision `rev`, or undefined (absent or deleted). */
  at(key: Bin, rev: number): Rev | undefined {
    const revs = this.records.get(key);
    if (revs === undefined) return undefined;
    return visible(revs, rev);
  }

  /** The key's latest live version. */
  latest(key: Bin): Rev | undefined {
    const revs = this.records.get(key);
    if (revs === undefined) return undefined;
    const last = revs[revs.length - 1]!;
    return last.version === 0 ? undefined : last;
  }

  /**
   * Keys selected by (key, rangeEnd), in byte order: one key without
   * rangeEnd, every key ≥ key with rangeEnd "\0", else [key, rangeEnd).
   */
  *keys(key: Bin, rangeEnd: Bin | undefined): Generator<Bin> {
    if (rangeEnd === undefined || rangeEnd === '') {
      if (this.records.has(key)) yield key;
      return;
    }
    yield* this.index.between(key, rangeEnd === '\0' ? undefined : rangeEnd);
  }

  // ---- writes ----------------------------------------------------------

  /** Starts a write: every change until `endWrite` gets revision `revision + 1`. */
  beginWrite(): void {
    this.write = { begin: this.revision, changed: false, touched: [] };
  }

  /** The revision reads inside the write see: the new one once something changed. */
  viewRevision(): number {
    const w = this.write;
    if (w === undefined) return this.revision;
    return w.changed ? w.begin + 1 : w.begin;
  }

  /** The revision the current write started from. */
  beginRevision(): number {
    return this.write?.begin ?? this.revision;
  }

  /** Ends the write: bumps the revision once if anything changed, and drops unreadable history. */
  endWrite(): void {
    const w = this.write;
    if (w === undefined) return;
    this.write = undefined;
    if (!w.changed) return;
    this.revision = w.begin + 1;
    const first = this.firstRevision();
    for (const key of w.touched) this.prune(key, first);
  }

  /** Puts `value` at the write's revision; returns that revision. */
  put(key: Bin, value: Bin, lease: number): number {
    const w = this.mustWrite();
    const rev = w.begin + 1;
    let revs = this.records.get(key);
    if (revs === undefined) {
      revs = [];
      this.records.set(key, revs);
      this.index.insert(key);
    } else if (revs[revs.length - 1]!.mod === rev) {
      // Written twice in one write (txns forbid it; kept correct anyway).
      this.unlink(key, revs.pop()!);
    }
    const prev = revs.length === 0 ? undefined : revs[revs.length - 1]!;
    const live = prev !== undefined && prev.version > 0 ? prev : undefined;
    if (live === undefined) this.liveKeys += 1;
    else if (live.lease !== 0 && live.lease !== lease)
      this.leases.get(live.lease)?.keys.delete(key);
    revs.push({
      mod: rev,
      create: live === undefined ? rev : live.create,
      version: live === undefined ? 1 : live.version + 1,
      value,
      lease,
    });
    if (lease !== 0) this.leases.get(lease)?.keys.add(key);
    w.changed = true;
    w.touched.push(key);
    return rev;
  }

  /** Deletes the live keys in the range; returns how many. */
  deleteRange(key: Bin, rangeEnd: Bin | undefined): number {
    const w = this.mustWrite();
    const rev = w.begin + 1;
    const doomed: Bin[] = [];
    for (const k of this.keys(key, rangeEnd)) if (this.latest(k) !== undefined) doomed.push(k);
    for (const k of doomed) {
      const revs = this.records.get(k)!;
      const last = revs[revs.length - 1]!;
      if (last.lease !== 0) this.leases.get(last.lease)?.keys.delete(k);
      revs.push({ mod: rev, create: 0, version: 0, value: '', lease: 0 });
      this.liveKeys -= 1;
      w.touched.push(k);
    }
    if (doomed.length > 0) w.changed = true;
    return doomed.length;
  }

  /** Forgets every revision below `rev`. */
  compact(rev: number): Err | undefined {
    if (rev > this.revision) return 'ErrFutureRevision';
    if (rev <= this.compactRevision || rev < this.firstRevision()) return 'ErrCompacted';
    this.compactRevision = rev;
    const first = this.firstRevision();
    for (const key of [...this.index.all()]) this.prune(key, first);
    return undefined;
  }

  grantLease(id: number, ttl: number): Err | undefined {
    if (this.leases.has(id)) return 'ErrLeaseExists';
    this.leases.set(id, { id, ttl, keys: new Set() });
    return undefined;
  }

  /** Deletes the lease and its keys (one revision when there are keys). */
  revokeLease(id: number): Err | undefined {
    const lease = this.leases.get(id);
    if (lease === undefined) return 'ErrLeaseNotFound';
    const keys = [...lease.keys].sort();
    if (keys.length > 0) {
      this.beginWrite();
      for (const k of keys) this.deleteRange(k, undefined);
      this.endWrite();
    }
    this.leases.delete(id);
    return undefined;
  }

  /** Drops versions of `key` no read at ≥ `first` can see; forgets the key when none is left. */
  prune(key: Bin, first: number): void {
    const revs = this.records.get(key);
    if (revs === undefined) return;
    // Keep the latest version ≤ first (what a read at `first` sees) and everything after it.
    let keepFrom = 0;
    for (let i = revs.length - 1; i >= 0; i--) {
      if (revs[i]!.mod <= first) {
        keepFrom = i;
        break;
      }
    }
    if (keepFrom > 0) revs.splice(0, keepFrom);
    if (revs[0]!.version === 0 && revs[0]!.mod <= first) revs.shift();
    if (revs.length === 0) {
      this.records.delete(key);
      this.index.remove(key);
    }
  }

  private unlink(key: Bin, rev: Rev): void {
    if (rev.lease !== 0) this.leases.get(rev.lease)?.keys.delete(key);
    if (rev.version > 0) this.liveKeys -= 1;
  }

  private mustWrite() {
    if (this.write === undefined) throw new Error('KvStore: write outside beginWrite/endWrite');
    return this.write;
  }
}

/** The version visible at `rev` (the latest with mod ≤ rev), unless it is a tombstone. */
export function visible(revs: readonly Rev[], rev: number): Rev | undefined {
  let lo = 0;
  let hi = revs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (revs[mid]!.mod <= rev) lo = mid + 1;
    else hi = mid;
  }
  if (lo === 0) return undefined;
  const r = revs[lo - 1]!;
  return r.version === 0 ? undefined : r;
}

/** A version as a key-value. */
export function keyValue(key: Bin, rev: Rev): BinKeyValue {
  return {
    key,
    createRevision: rev.create,
    modRevision: rev.mod,
    version: rev.version,
    value: rev.value,
    lease: rev.lease,
  };
}
