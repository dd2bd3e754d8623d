import { Buffer } from 'node:buffer';

/** Bytes of `n` (a non-negative safe integer) as a LEB128 varint. */
export function varintSize(n: number): number {
  let size = 1;
  let v = n;
  while (v >= 128) {
    v = Math.floor(v / 128);
    size += 1;
  }
  return size;
}

/** Zigzag form of a signed safe integer (so small negatives stay short). */
export function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

export function unzigzag(z: number): number {
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}

/**
 * Writes into one buffer of a size computed beforehand (no growth, no copy).
 * Byte strings are written with the native latin1 encoder.
 */
export class ByteWriter {
  readonly buf: Buffer;
  pos = 0;

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }

  varint(n: number): void {
    let v = n;
    while (v >= 128) {
      this.buf[this.pos++] = (v % 128) | 128;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }

  /** A byte string with its length first. */
  bin(s: string): void {
    this.varint(s.length);
    this.pos += this.buf.write(s, this.pos, 'latin1');
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

/** Size of `bin(s)`. */
export function binSize(s: string): number {
  return varintSize(s.length) + s.length;
}

/** Reads what ByteWriter wrote; throws on truncated or malformed input. */
export class ByteReader {
  private readonly buf: Buffer;
  pos = 0;

  constructor(bytes: Uint8Array) {
    this.buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('snapshot truncated in a varint');
      const b = this.buf[this.pos++]!;
      n += (b & 127) * scale;
      if (b < 128) return n;
      scale *= 128;
      if (scale > 2 ** 56) throw new Error('snapshot varint too long');
    }
  }

  bin(): string {
    const len = this.varint();
    if (this.pos + len > this.buf.length) throw new Error('snapshot truncated in a string');
    const s = this.buf.toString('latin1', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }

  bytes(): Uint8Array {
    const len = this.varint();
    if (this.pos + len > this.buf.length) throw new Error('snapshot truncated in bytes');
    const b = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return b;
  }
}
