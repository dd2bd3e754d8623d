import { Buffer } from 'node:buffer';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Well-formed padded base64 without newlines: Node's decoder gives Go's answer. */
const CANONICAL = /^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export class Base64Error extends Error {}

/**
 * Go's base64.StdEncoding.DecodeString, error positions included: padded
 * standard alphabet only ("illegal base64 data at input byte N" for the URL
 * alphabet, missing padding, or garbage), with '\r' and '\n' skipped
 * anywhere. Returns the bytes as a Buffer.
 */
export function decodeGoBase64(src: string): Buffer {
  if (src.length % 4 === 0 && CANONICAL.test(src)) return Buffer.from(src, 'base64');
  const out: number[] = [];
  let si = 0;
  const n = src.length;
  const corrupt = (at: number): never => {
    throw new Base64Error(`illegal base64 data at input byte ${at}`);
  };
  while (si < n) {
    const dbuf = [0, 0, 0, 0];
    let dlen = 4;
    let j = 0;
    let end = false;
    while (j < 4) {
      if (si === n) {
        if (j === 0) return Buffer.from(out);
        corrupt(si - j);
      }
      const ch = src.charCodeAt(si);
      si++;
      const v = ch < 128 ? DECODE[ch]! : -1;
      if (v >= 0) {
        dbuf[j] = v;
        j++;
        continue;
      }
      if (ch === 10 || ch === 13) continue;
      if (ch !== 61) corrupt(si - 1); // not '='
      // Padding: only after two or three symbols.
      if (j === 0 || j === 1) corrupt(si - 1);
      if (j === 2) {
        while (si < n && (src[si] === '\n' || src[si] === '\r')) si++;
        if (si === n) corrupt(n);
        if (src[si] !== '=') corrupt(si - 1);
        si++;
      }
      while (si < n && (src[si] === '\n' || src[si] === '\r')) si++;
      if (si < n) corrupt(si);
      dlen = j;
      end = true;
      break;
    }
    const val = (dbuf[0]! << 18) | (dbuf[1]! << 12) | (dbuf[2]! << 6) | dbuf[3]!;
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
    for (let k = 0; k < dlen - 1; k++) out.push(bytes[k]!);
    if (end) break;
    // Skip newlines between quanta so that a trailing "\n" does not start a new quantum.
    while (si < n && (src[si] === '\n' || src[si] === '\r')) si++;
  }
  return Buffer.from(out);
}
