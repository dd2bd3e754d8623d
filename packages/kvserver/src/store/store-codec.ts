import { createHash } from 'node:crypto';
import { type ByteReader, unzigzag, zigzag } from './byte-reader.js';
import { binSize, type ByteWriter, varintSize } from './byte-writer.js';
import { KvStore, type Rev } from './kv-store.js';

/**
 * The store's snapshot form, in time and bytes linear in what it holds (a tenth more bytes
 * than its keys and values at 100-byte values):
 *   revision, compactRevision, keyCount,
 *   per key (byte order): key, versionCount, per version: mod, create, version, lease, value
 *   leaseCount, per lease: id, ttl
 * (varints, zigzag for lease ids; keys and values as length-prefixed bytes).
 */

/** Drops history no read can reach, then returns the encoded size of the store. */
export function storeSize(store: KvStore): number {
  // With no history kept, every write already pruned its key; otherwise drop what aged out.
  if (store.retainRevisions > 0) {
    const first = store.firstRevision();
    for (const key of [...store.index.all()]) store.prune(key, first);
  }
  const records = store.records;
  let size =
    varintSize(store.revision) + varintSize(store.compactRevision) + varintSize(store.index.size);
  for (const key of store.index.all()) {
    const revs = records.get(key)!;
    size += binSize(key) + varintSize(revs.length);
    for (let i = 0; i < revs.length; i++) {
      const r = revs[i]!;
      size +=
        varintSize(r.mod) +
        varintSize(r.create) +
        varintSize(r.version) +
        varintSize(zigzag(r.lease)) +
        binSize(r.value);
    }
  }
  size += varintSize(store.leases.size);
  for (const l of store.leases.values()) size += varintSize(zigzag(l.id)) + varintSize(l.ttl);
  return size;
}

/** Writes the store (call `storeSize` first: it prunes, and sizes the buffer). */
export function writeStore(w: ByteWriter, store: KvStore): void {
  const records = store.records;
  w.varint(store.revision);
  w.varint(store.compactRevision);
  w.varint(store.index.size);
  for (const key of store.index.all()) {
    const revs = records.get(key)!;
    w.bin(key);
    w.varint(revs.length);
    for (let i = 0; i < revs.length; i++) {
      const r = revs[i]!;
      w.varint(r.mod);
      w.varint(r.create);
      w.varint(r.version);
      w.varint(zigzag(r.lease));
      w.bin(r.value);
    }
  }
  w.varint(store.leases.size);
  for (const l of store.leases.values()) {
    w.varint(zigzag(l.id));
    w.varint(l.ttl);
  }
}

/** Reads a store written by `writeStore`. */
export function readStore(r: ByteReader, retainRevisions: number): KvStore {
  const store = new KvStore(retainRevisions);
  store.revision = r.varint();
  store.compactRevision = r.varint();
  const keyCount = r.varint();
  const keys: string[] = [];
  for (let i = 0; i < keyCount; i++) {
    const key = r.bin();
    const n = r.varint();
    const revs: Rev[] = [];
    for (let j = 0; j < n; j++) {
      const mod = r.varint();
      const create = r.varint();
      const version = r.varint();
      const lease = unzigzag(r.varint());
      revs.push({ mod, create, version, value: r.bin(), lease });
    }
    if (n === 0) throw new Error('snapshot holds a key without versions');
    if (i > 0 && !(keys[i - 1]! < key)) throw new Error('snapshot keys are not in order');
    keys.push(key);
    store.records.set(key, revs);
    if (revs[n - 1]!.version > 0) store.liveKeys += 1;
  }
  store.index.reset(keys);
  const leaseCount = r.varint();
  for (let i = 0; i < leaseCount; i++) {
    const id = unzigzag(r.varint());
    store.leases.set(id, { id, ttl: r.varint(), keys: new Set() });
  }
  for (const key of keys) {
    const last = store.latest(key);
    if (last !== undefined && last.lease !== 0) store.leases.get(last.lease)?.keys.add(key);
  }
  return store;
}

/**
 * SHA-256 (hex) of the store's content at its current revision: the
 * revision, the compaction point, every live key with its metadata and
 * value, and the leases. Replicas that applied the same entries agree.
 */
export function storeHash(store: KvStore): string {
  const h = createHash('sha256');
  h.update(`rev ${store.revision} compact ${store.compactRevision}\n`);
  for (const key of store.index.all()) {
    const v = store.latest(key);
    if (v === undefined) continue;
    h.update(`${key.length}:`, 'latin1');
    h.update(key, 'latin1');
    h.update(` ${v.create} ${v.mod} ${v.version} ${v.lease} ${v.value.length}:`);
    h.update(v.value, 'latin1');
  }
  const leases = [...store.leases.values()].sort((a, b) => a.id - b.id);
  for (const l of leases) h.update(`lease ${l.id} ${l.ttl}\n`);
  return h.digest('hex');
}
