import { Buffer } from 'node:buffer';

/** Bytes of `n` (a non-negative safe integer) as a LEB128 varint. */
export function varintSize(n: number): number {
  if (n < 128) return 1;
  let size = 1;
  let v = n;
  while (v >= 128) {
    v = Math.floor(v / 128);
    size += 1;
  }
  return size;
}

/** Size of `bin(s)`. */
export function binSize(s: string): number {
  return varintSize(s.length) + s.length;
}

/**
 * Writes varints and byte strings into one buffer of a size computed beforehand: no growth,
 * no copy. Short strings are copied by a JS loop, long ones by one native latin1 copy (a
 * native call per small piece costs more than the piece).
 */
export class ByteWriter {
  private readonly buf: Buffer;
  private pos = 0;

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /** A non-negative safe integer as a LEB128 varint. */
  varint(n: number): void {
    const buf = this.buf;
    let v = n;
    while (v >= 128) {
      buf[this.pos++] = (v % 128) | 128;
      v = Math.floor(v / 128);
    }
    buf[this.pos++] = v;
  }

  /** A byte string with its length first. */
  bin(s: string): void {
    const n = s.length;
    this.varint(n);
    if (n < 48) {
      const buf = this.buf;
      let p = this.pos;
      for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
      this.pos = p;
    } else {
      this.pos += this.buf.write(s, this.pos, n, 'latin1');
    }
  }

  bytes(b: Uint8Array): void {
    this.varint(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** The written bytes; throws when the size computed beforehand was wrong. */
  finish(): Uint8Array {
    if (this.pos !== this.buf.length)
      throw new Error(`snapshot size mismatch: wrote ${this.pos} of ${this.buf.length} bytes`);
    return new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  }
}
