/** 32-bit hashes of primitive values; no allocation for numbers and strings. */

/** FNV-1a over UTF-16 code units. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/** Integer finaliser (lowbias32); non-integers hash through their decimal text. */
export function hashNumber(x: number): number {
  if ((x | 0) !== x) return hashString(String(x));
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h | 0;
}

/** Hash of any value: by value for primitives, by JSON text for objects. */
export function hashValue(v: unknown): number {
  switch (typeof v) {
    case 'number':
      return hashNumber(v);
    case 'string':
      return hashString(v);
    case 'boolean':
      return v ? 0x2545f491 : 0x4f6cdd1d;
    case 'undefined':
      return 0x1b873593;
    default:
      return v === null ? 0x68e31da4 : hashString(JSON.stringify(v) ?? '');
  }
}

/** Equality matching `hashValue`: `===`, or equal JSON text for objects. */
export function equalValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * `n` pseudo-random 32-bit keys for Zobrist hashing of a set of operations: the hash of a set
 * is the XOR of its members' keys, so adding or removing one is a single XOR.
 * Deterministic (splitmix32 from a fixed seed), so runs are reproducible.
 */
export function zobristKeys(n: number, seed = 0x9e3779b9): Int32Array {
  const keys = new Int32Array(n);
  let s = seed | 0;
  for (let i = 0; i < n; i++) {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    keys[i] = z ^ (z >>> 16);
  }
  return keys;
}

/** Combines a set hash and a state hash into one cache key. */
export function combineHash(setHash: number, stateHash: number): number {
  return (setHash ^ Math.imul(stateHash, 0x9e3779b1)) | 0;
}
