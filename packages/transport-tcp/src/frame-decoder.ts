import { HEAD_BYTES, LENGTH_BYTES } from './frame.js';

/** Why a byte stream was refused. */
export type DecodeFailure =
  | { kind: 'oversized'; length: number; limit: number }
  | { kind: 'malformed'; length: number };

/**
 * Return false to stop decoding (the connection is being closed). `payload`
 * is a view into the received bytes, valid only during the call.
 */
export type FrameHandler = (type: number, id: number, payload: Buffer) => boolean;

/**
 * Splits a TCP byte stream into frames.
 *
 * Invariants: a frame's length prefix is checked against `maxFrameBytes`
 * before any byte of its body is buffered, so the decoder holds at most
 * `maxFrameBytes + 4` bytes of one frame plus the rest of the chunk being
 * parsed; a large frame's chunks are joined once, when it is complete
 * (never quadratic). Whole frames inside one chunk are passed as views
 * without copying.
 */
export class FrameDecoder {
  /** Chunks of the incomplete frame at the end of the stream. */
  private parts: Buffer[] = [];
  private partBytes = 0;
  /** Bytes the incomplete frame needs in total (prefix included); 0 when unknown (< 4 bytes held). */
  private need = 0;
  private failed: DecodeFailure | undefined;
  /** Highest number of bytes held between chunks, for the stats. */
  peakBuffered = 0;

  constructor(
    /** Largest accepted `length` prefix (bytes after the prefix). Adjustable, e.g. after a handshake. */
    public maxFrameBytes: number,
    private readonly onFrame: FrameHandler,
  ) {}

  /** Bytes held that do not yet form a whole frame. */
  get buffered(): number {
    return this.partBytes;
  }

  /** Feeds bytes; returns the failure once the stream is refused (later calls do nothing). */
  push(chunk: Buffer): DecodeFailure | undefined {
    if (this.failed !== undefined) return this.failed;
    let buf: Buffer;
    if (this.partBytes === 0) {
      buf = chunk;
    } else {
      this.parts.push(chunk);
      this.partBytes += chunk.length;
      if (this.need === 0 && this.partBytes >= LENGTH_BYTES) {
        // The prefix is complete now: check it before gathering the body.
        const head = Buffer.concat(this.parts, this.partBytes);
        this.parts = [head];
        const failure = this.check(head.readUInt32BE(0));
        if (failure !== undefined) return this.fail(failure);
        this.need = LENGTH_BYTES + head.readUInt32BE(0);
      }
      if (this.need === 0 || this.partBytes < this.need) {
        this.peakBuffered = Math.max(this.peakBuffered, this.partBytes);
        return undefined;
      }
      buf = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.partBytes);
      this.parts = [];
      this.partBytes = 0;
      this.need = 0;
    }
    let offset = 0;
    for (;;) {
      const available = buf.length - offset;
      if (available < LENGTH_BYTES) {
        if (available > 0) this.hold(buf.subarray(offset), 0);
        return undefined;
      }
      const length = buf.readUInt32BE(offset);
      const failure = this.check(length);
      if (failure !== undefined) return this.fail(failure);
      const total = LENGTH_BYTES + length;
      if (available < total) {
        this.hold(buf.subarray(offset), total);
        return undefined;
      }
      const type = buf[offset + LENGTH_BYTES]!;
      const id = buf.readUInt32BE(offset + LENGTH_BYTES + 1);
      const payload = buf.subarray(offset + LENGTH_BYTES + HEAD_BYTES, offset + total);
      offset += total;
      if (!this.onFrame(type, id, payload)) {
        this.reset();
        return undefined;
      }
    }
  }

  /** Drops buffered bytes (the connection is gone). */
  reset(): void {
    this.parts = [];
    this.partBytes = 0;
    this.need = 0;
  }

  private check(length: number): DecodeFailure | undefined {
    if (length < HEAD_BYTES) return { kind: 'malformed', length };
    if (length > this.maxFrameBytes)
      return { kind: 'oversized', length, limit: this.maxFrameBytes };
    return undefined;
  }

  private hold(rest: Buffer, need: number): void {
    // Copy a small tail so that it does not pin the whole chunk it came from.
    const part = rest.length < 4096 ? Buffer.from(rest) : rest;
    this.parts = [part];
    this.partBytes = part.length;
    this.need = need;
    this.peakBuffered = Math.max(this.peakBuffered, this.partBytes);
  }

  private fail(failure: DecodeFailure): DecodeFailure {
    this.failed = failure;
    this.reset();
    return failure;
  }
}
