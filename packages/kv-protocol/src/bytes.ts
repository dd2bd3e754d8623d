/**
 * Keys and values on the wire. etcd's keys and values are bytes; raftkit
 * carries them as bytes (`Uint8Array`) or as strings, and a string stands for
 * its UTF-8 encoding. A string is accepted only when it is well-formed
 * (no unpaired surrogate): UTF-8 cannot carry a lone surrogate, so such a
 * string would be stored changed. Nothing is ever replaced or normalised.
 */
export type KvBytes = string | Uint8Array;

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

type MaybeWellFormed = { isWellFormed?: () => boolean };

/**
 * True when `s` has no unpaired surrogate, i.e. it round-trips through UTF-8
 * exactly. Uses `String.prototype.isWellFormed` (Node ≥ 20) and falls back to
 * a scan where it is missing.
 */
export function isWellFormed(s: string): boolean {
  const native = (s as unknown as MaybeWellFormed).isWellFormed;
  if (typeof native === 'function') return native.call(s);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c >= 0xdc00) return false; // a low surrogate with no high one before it
    const next = s.charCodeAt(i + 1);
    if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
    i++;
  }
  return true;
}

/** UTF-8 length of a well-formed string, in bytes, without encoding it. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Length of a wire key or value in bytes. */
export function byteLength(b: KvBytes): number {
  return typeof b === 'string' ? utf8Length(b) : b.byteLength;
}

/** The bytes a wire key or value stands for (a string is encoded as UTF-8). */
export function toBytes(b: KvBytes): Uint8Array {
  return typeof b === 'string' ? encoder.encode(b) : b;
}

/** Decodes UTF-8 strictly: undefined when `bytes` is not valid UTF-8 (nothing is replaced). */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Checks a key or value taken off the network; returns what is wrong, or
 * undefined. `name` names the field in the message.
 */
export function bytesProblem(name: string, b: unknown, maxBytes: number): string | undefined {
  if (typeof b === 'string') {
    if (!isWellFormed(b)) {
      return `${name} is a string with an unpaired surrogate, which UTF-8 cannot carry: send bytes (Uint8Array) or a well-formed string`;
    }
    const n = utf8Length(b);
    if (n > maxBytes) return `${name} is ${n} bytes; the limit is ${maxBytes}`;
    return undefined;
  }
  if (b instanceof Uint8Array) {
    if (b.byteLength > maxBytes)
      return `${name} is ${b.byteLength} bytes; the limit is ${maxBytes}`;
    return undefined;
  }
  return `${name} must be a string or a Uint8Array, got ${b === null ? 'null' : typeof b}`;
}

/** Byte-wise comparison (as etcd orders keys): negative, 0 or positive. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/**
 * The range end that selects every key starting with `prefix` (etcd's
 * `clientv3.GetPrefixRangeEnd`): the prefix with its last byte below 0xff
 * incremented and what follows dropped; [0] (every key) when there is none.
 */
export function prefixRangeEnd(prefix: KvBytes): Uint8Array {
  const bytes = toBytes(prefix);
  for (let i = bytes.length - 1; i >= 0; i--) {
    if (bytes[i]! < 0xff) {
      const end = bytes.slice(0, i + 1);
      end[i] = bytes[i]! + 1;
      return end;
    }
  }
  return new Uint8Array([0]);
}
