import { connect, type Socket } from 'node:net';
import { msgpackCodec } from '@raftkit/codec';
import { encodeFrame, FrameType } from '../../src/frame.js';
import { FrameDecoder } from '../../src/frame-decoder.js';
import { NONCE_BYTES, PROTOCOL_VERSION } from '../../src/handshake.js';

/** A raw client: TCP, the handshake by hand, then whatever bytes the test writes. */
export class RawClient {
  readonly frames: { type: number; id: number; payload: Buffer }[] = [];
  readonly closed: Promise<void>;
  private readonly socket: Socket;
  private waiters: (() => void)[] = [];

  constructor(
    port: number,
    private readonly cluster: string,
  ) {
    this.socket = connect({ host: '127.0.0.1', port });
    this.socket.on('error', () => {});
    const decoder = new FrameDecoder(1 << 30, (type, id, payload) => {
      this.frames.push({ type, id, payload: Buffer.from(payload) });
      for (const w of this.waiters.splice(0)) w();
      return true;
    });
    this.socket.on('data', (d) => decoder.push(d));
    this.closed = new Promise((resolve) =>
      this.socket.on('close', () => {
        for (const w of this.waiters.splice(0)) w();
        resolve();
      }),
    );
  }

  write(bytes: Buffer, end = false): void {
    if (end) this.socket.end(bytes);
    else this.socket.write(bytes);
  }

  async waitFor(pred: () => boolean, ms = 10_000): Promise<boolean> {
    const deadline = performance.now() + ms;
    while (!pred()) {
      if (this.socket.destroyed || performance.now() > deadline) return pred();
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return true;
  }

  async handshake(): Promise<void> {
    this.write(
      encodeFrame(
        FrameType.Hello,
        0,
        msgpackCodec.encode({
          v: PROTOCOL_VERSION,
          cluster: this.cluster,
          from: 'fuzzer',
          to: 'server',
          nonce: Buffer.alloc(NONCE_BYTES, 3),
        }),
      ),
    );
    await this.waitFor(() => this.frames.some((f) => f.type === FrameType.Challenge));
    this.write(encodeFrame(FrameType.Auth, 0, msgpackCodec.encode({})));
    if (!(await this.waitFor(() => this.frames.some((f) => f.type === FrameType.Welcome)))) {
      throw new Error('fuzz client: no WELCOME');
    }
    this.frames.length = 0;
  }

  /** Stops reading from the socket (the server's replies pile up), or reads again. */
  reading(on: boolean): void {
    if (on) this.socket.resume();
    else this.socket.pause();
  }

  destroy(): void {
    this.socket.destroy();
  }
}
