import type { Socket } from 'node:net';

/** Bounds of one send queue. */
export interface QueueLimits {
  /** Frames waiting for the socket, at most. */
  maxMessages: number;
  /** Bytes waiting for the socket, at most. */
  maxBytes: number;
}

/**
 * The send side of one connection. The first frame of an event-loop turn is
 * written at once (a lone request or reply pays no extra turn of latency);
 * frames queued after it in the same turn are written together by one
 * `setImmediate` flush, so that many calls made in one turn cost at most two
 * `write` syscalls. This is I/O code: it never runs inside a simulation, so
 * it may use the real `setImmediate` for turn boundaries (time is never read
 * here).
 *
 * Invariants: `queuedBytes`/`queued` count frames not yet handed to the
 * socket and never exceed the limits (`enqueue` refuses instead); frames
 * reach the socket in `enqueue` order; after `socket.write` returns false
 * nothing more is written until 'drain', so Node's own buffer holds at most
 * one batch beyond its high-water mark.
 */
export class FrameWriter {
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private socket: Socket | undefined;
  private scheduled = false;
  private blocked = false;
  private readonly flushNow = () => this.flush();
  private readonly onDrain = () => {
    this.blocked = false;
    if (this.queue.length > 0) this.schedule();
    else this.drained?.();
  };

  constructor(
    private readonly limits: QueueLimits,
    /** Called with the byte count of every batch written. */
    private readonly onWrite: (bytes: number) => void,
    /**
     * Called whenever the writer has room again: after a batch the socket
     * accepted without backpressure, and on 'drain' with nothing queued
     * (the inbound side resumes reading then).
     */
    private readonly drained?: () => void,
  ) {}

  get queued(): number {
    return this.queue.length;
  }

  get bytes(): number {
    return this.queuedBytes;
  }

  /** True when the socket asked us to wait or the queue is more than half full. */
  get congested(): boolean {
    return this.blocked || this.queuedBytes > this.limits.maxBytes / 2;
  }

  /** Queues one frame; false (nothing queued) when the queue is full. */
  enqueue(frame: Buffer): boolean {
    if (
      this.queue.length >= this.limits.maxMessages ||
      this.queuedBytes + frame.length > this.limits.maxBytes
    ) {
      return false;
    }
    // No flush pending means no frame went out yet in this turn: write this one at once, and
    // arm the turn's flush so that frames after it wait for it.
    if (!this.scheduled && this.queue.length === 0) {
      const socket = this.socket;
      if (socket !== undefined && !this.blocked && !socket.destroyed && socket.writable) {
        this.scheduled = true;
        setImmediate(this.flushNow); // determinism-ok: a turn boundary for real sockets only
        this.onWrite(frame.length);
        if (socket.write(frame)) this.drained?.();
        else this.blocked = true;
        return true;
      }
    }
    this.queue.push(frame);
    this.queuedBytes += frame.length;
    this.schedule();
    return true;
  }

  /** Starts writing to `socket` (frames queued before are written first). */
  attach(socket: Socket): void {
    this.socket = socket;
    this.blocked = false;
    socket.on('drain', this.onDrain);
    this.schedule();
  }

  /** Stops writing and forgets every queued frame. */
  detach(): void {
    this.socket?.off('drain', this.onDrain);
    this.socket = undefined;
    this.queue = [];
    this.queuedBytes = 0;
  }

  private schedule(): void {
    if (this.scheduled || this.socket === undefined || this.blocked || this.queue.length === 0)
      return;
    this.scheduled = true;
    setImmediate(this.flushNow); // determinism-ok: one socket write per event-loop turn; real sockets only, never in a simulation
  }

  /** Writes everything queued as one buffer. */
  flush(): void {
    this.scheduled = false;
    const socket = this.socket;
    if (socket === undefined || this.blocked || this.queue.length === 0) return;
    if (socket.destroyed || !socket.writable) return;
    const batch =
      this.queue.length === 1 ? this.queue[0]! : Buffer.concat(this.queue, this.queuedBytes);
    this.queue = [];
    this.queuedBytes = 0;
    this.onWrite(batch.length);
    if (socket.write(batch)) this.drained?.();
    else this.blocked = true;
  }
}
