import { Buffer } from 'node:buffer';
import type { KvBytes } from '@raftkit/kv-protocol';

/**
 * A byte string: a JS string whose every char code is one byte (0..255).
 * The store keeps keys and values in this form: V8 stores such strings one
 * byte per char, `<` on them is byte order (etcd's key order), Map lookups
 * are native, and appends are cheap string concatenations.
 */
export type Bin = string;

/** Only chars below 0x80 (their UTF-8 is themselves). */
const NON_ASCII = /[\u0080-\uffff]/;
const isAscii = (s: string) => !NON_ASCII.test(s);

/** The bytes of a wire key or value as a byte string (a string is its UTF-8). */
export function binFromWire(b: KvBytes): Bin {
  if (typeof b === 'string') return binFromText(b);
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
}

/** UTF-8 of a well-formed string, as a byte string (ASCII passes through unchanged). */
export function binFromText(s: string): Bin {
  return isAscii(s) ? s : Buffer.from(s, 'utf8').toString('latin1');
}

/** The text a byte string encodes as UTF-8, or undefined when it is not valid UTF-8. */
export function binToText(b: Bin): string | undefined {
  if (isAscii(b)) return b;
  const bytes = Buffer.from(b, 'latin1');
  const text = bytes.toString('utf8');
  // Buffer's decoder replaces bad sequences with U+FFFD: re-encode to detect that.
  return Buffer.from(text, 'utf8').equals(bytes) ? text : undefined;
}

/** A byte string as a fresh Uint8Array. */
export function binToBytes(b: Bin): Uint8Array {
  const buf = Buffer.from(b, 'latin1');
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** A byte string as standard padded base64. */
export function binToBase64(b: Bin): string {
  return Buffer.from(b, 'latin1').toString('base64');
}
