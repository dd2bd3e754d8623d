import type { KvErr } from '@raftkit/kv-protocol';
import { SortOrder, SortTarget } from '@raftkit/kv-protocol';
import { type KvStore, keyValue, visible } from './kv-store.js';
import type { BinKeyValue, BinRange, BinRangeResult } from './types.js';

/**
 * etcd's Range (txn/range.go) over the store, read at the request's revision
 * (or `view`, the revision the caller sees as latest). `count` counts the
 * keys in the range before the revision filters and the limit; `more` is
 * true when the limit cut the result; a sort target other than KEY with no
 * order sorts ascending; unknown sort orders do not sort.
 */
export function range(
  store: KvStore,
  r: BinRange,
  view = store.viewRevision(),
): BinRangeResult | Exclude<KvErr, 'OK'> {
  const rev = store.readRevision(r.revision, store.beginRevision());
  if (typeof rev === 'string') return rev;
  const at = r.revision !== undefined && r.revision > 0 ? rev : view;
  let kvs: BinKeyValue[] = [];
  for (const key of store.keys(r.key, r.rangeEnd)) {
    const revs = store.records.get(key)!;
    const v = visible(revs, at);
    if (v !== undefined) kvs.push(keyValue(key, v));
  }
  const count = kvs.length;
  if (r.countOnly) return { revision: view, kvs: [], more: false, count };
  const { maxModRevision: maxMod, minModRevision: minMod } = r;
  const { maxCreateRevision: maxCreate, minCreateRevision: minCreate } = r;
  if (maxMod) kvs = kvs.filter((kv) => kv.modRevision <= maxMod);
  if (minMod) kvs = kvs.filter((kv) => kv.modRevision >= minMod);
  if (maxCreate) kvs = kvs.filter((kv) => kv.createRevision <= maxCreate);
  if (minCreate) kvs = kvs.filter((kv) => kv.createRevision >= minCreate);
  sortKvs(kvs, r.sortOrder ?? SortOrder.NONE, r.sortTarget ?? SortTarget.KEY);
  let more = false;
  const limit = r.limit ?? 0;
  if (limit > 0 && kvs.length > limit) {
    kvs = kvs.slice(0, limit);
    more = true;
  }
  if (r.keysOnly) for (const kv of kvs) kv.value = '';
  return { revision: view, kvs, more, count };
}

const byTarget: Record<number, (a: BinKeyValue, b: BinKeyValue) => number> = {
  [SortTarget.KEY]: (a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  [SortTarget.VERSION]: (a, b) => a.version - b.version,
  [SortTarget.CREATE]: (a, b) => a.createRevision - b.createRevision,
  [SortTarget.MOD]: (a, b) => a.modRevision - b.modRevision,
  [SortTarget.VALUE]: (a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0),
};

function sortKvs(kvs: BinKeyValue[], order: number, target: number): void {
  let o = order;
  if (target !== SortTarget.KEY && o === SortOrder.NONE) o = SortOrder.ASCEND;
  if (o === SortOrder.NONE || (target === SortTarget.KEY && o === SortOrder.ASCEND)) return;
  const cmp = byTarget[target];
  if (cmp === undefined) return;
  if (o === SortOrder.ASCEND) kvs.sort(cmp);
  else if (o === SortOrder.DESCEND) kvs.sort((a, b) => cmp(b, a));
}
