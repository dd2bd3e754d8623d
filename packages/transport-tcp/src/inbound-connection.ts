import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Timer } from '@raftkit/core';
import type { TransportContext } from './context.js';
import { encodeFrame, FrameType, HEAD_BYTES } from './frame.js';
import { FrameDecoder } from './frame-decoder.js';
import { FrameWriter } from './frame-writer.js';
import {
  type Hello,
  MAX_HANDSHAKE_FRAME_BYTES,
  newNonce,
  PROTOCOL_VERSION,
  parseAuth,
  parseHello,
  proof,
  proofMatches,
  type RejectReason,
} from './handshake.js';
import { certificateNames } from './tls.js';

/** An inbound connection's life: the handshake, then requests. */
type InboundState =
  | { kind: 'await-hello' }
  | { kind: 'await-auth'; hello: Hello; nonce: Buffer }
  | { kind: 'open'; peer: string }
  | { kind: 'closed' };

/** After a REJECT is written, the socket is destroyed this long later at most (ms). */
const REJECT_LINGER_MS = 1000;

/**
 * One connection accepted by the listener. No request reaches the RpcServer
 * before the handshake has checked the cluster, the peer's id and (when
 * configured) its proof of the secret and its certificate. Bad input closes
 * this connection only, with one log line; handler errors and unknown
 * methods are answered with an ERROR frame and the connection stays.
 *
 * Bounds: at most `maxInflightPerConnection` handlers run for it; when that
 * many run, or the reply queue is congested (the peer reads slowly), the
 * socket stops being read until they drain.
 */
export class InboundConnection {
  private state: InboundState = { kind: 'await-hello' };
  private readonly decoder: FrameDecoder;
  private readonly writer: FrameWriter;
  private readonly handshakeTimer: Timer;
  private inflight = 0;
  private paused = false;
  /** A reason was logged already; the close itself stays quiet. */
  private reported = false;

  constructor(
    private readonly ctx: TransportContext,
    private readonly socket: Socket,
    private readonly onClosed: (conn: InboundConnection) => void,
  ) {
    const { limits, clock, handshakeTimeoutMs } = ctx.options;
    socket.setNoDelay(true);
    this.decoder = new FrameDecoder(MAX_HANDSHAKE_FRAME_BYTES, (type, id, payload) =>
      this.onFrame(type, id, payload),
    );
    this.writer = new FrameWriter(
      {
        maxMessages: limits.maxQueueMessages + limits.maxInflightPerConnection,
        maxBytes: limits.maxQueueBytes,
      },
      (bytes) => {
        ctx.stats.bytesSent += bytes;
      },
      () => this.maybeResume(),
    );
    this.handshakeTimer = clock.setTimer(handshakeTimeoutMs, () => {
      if (this.state.kind === 'await-hello' || this.state.kind === 'await-auth') {
        this.refuse('protocol', 'handshake timeout');
      }
    });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.close(`socket error ${error.code ?? error.message}`);
    });
    socket.on('close', () => {
      if (this.decoder.buffered > 0 && this.state.kind !== 'closed') {
        ctx.stats.rejectedFrames += 1;
        this.close(`truncated stream (${this.decoder.buffered} bytes of an incomplete frame)`);
      } else this.close(undefined);
    });
  }

  private get remote(): string {
    return `${this.socket.remoteAddress}:${this.socket.remotePort}`;
  }

  private get peer(): string | undefined {
    const s = this.state;
    if (s.kind === 'open') return s.peer;
    if (s.kind === 'await-auth') return s.hello.from;
    return undefined;
  }

  private onData(chunk: Buffer): void {
    if (this.state.kind === 'closed') return;
    const { stats } = this.ctx;
    stats.bytesReceived += chunk.length;
    const failure = this.decoder.push(chunk);
    stats.peakDecoderBytes = Math.max(stats.peakDecoderBytes, this.decoder.peakBuffered);
    if (failure !== undefined) {
      stats.rejectedFrames += 1;
      this.close(
        failure.kind === 'oversized'
          ? `oversized frame: length ${failure.length} > limit ${failure.limit}`
          : `malformed frame: length ${failure.length}`,
      );
      return;
    }
    const { limits } = this.ctx.options;
    if (
      !this.paused &&
      (this.inflight >= limits.maxInflightPerConnection || this.writer.congested)
    ) {
      this.paused = true;
      this.socket.pause();
    }
  }

  private maybeResume(): void {
    if (!this.paused || this.state.kind === 'closed') return;
    const { limits } = this.ctx.options;
    if (this.inflight < limits.maxInflightPerConnection / 2 && !this.writer.congested) {
      this.paused = false;
      this.socket.resume();
    }
  }

  private decode(payload: Buffer): unknown {
    try {
      return this.ctx.options.codec.decode(payload);
    } catch {
      return undefined;
    }
  }

  /** Returns false to stop decoding this connection. */
  private onFrame(type: number, id: number, payload: Buffer): boolean {
    const state = this.state;
    switch (state.kind) {
      case 'closed':
        return false;
      case 'open':
        if (type === FrameType.Request) {
          this.onRequest(state.peer, id, payload);
          return this.state.kind === 'open';
        }
        this.ctx.stats.rejectedFrames += 1;
        this.close(`unexpected frame type ${type} from ${state.peer}`);
        return false;
      case 'await-hello':
        if (type !== FrameType.Hello)
          return this.refuse('protocol', `frame type ${type} before hello`);
        return this.onHello(payload);
      case 'await-auth':
        if (type !== FrameType.Auth)
          return this.refuse('protocol', `frame type ${type} before auth`);
        return this.onAuth(state, payload);
    }
  }

  private onHello(payload: Buffer): boolean {
    const { options, tls } = this.ctx;
    const hello = parseHello(this.decode(payload));
    if (typeof hello === 'string') return this.refuse('protocol', hello);
    if (hello.cluster !== options.clusterId) {
      return this.refuse('cluster', `peer ${hello.from} is of cluster ${hello.cluster}`);
    }
    if (hello.to !== options.nodeId)
      return this.refuse('wrong-node', `peer expected node ${hello.to}`);
    if (!this.ctx.accepts(hello.from))
      return this.refuse('unknown-node', `node ${hello.from} is not accepted`);
    if (tls !== undefined) {
      const names = certificateNames((this.socket as TLSSocket).getPeerCertificate());
      if (!names.includes(hello.from)) {
        return this.refuse(
          'auth',
          `certificate names ${names.join('/') || 'nothing'}, not ${hello.from}`,
        );
      }
    }
    const nonce = newNonce();
    const serverProof =
      options.secret === undefined
        ? undefined
        : proof('server', options.secret, {
            cluster: options.clusterId,
            server: options.nodeId,
            client: hello.from,
            clientNonce: hello.nonce,
            serverNonce: nonce,
          });
    this.state = { kind: 'await-auth', hello, nonce };
    this.writeNow(
      FrameType.Challenge,
      options.codec.encode({
        v: PROTOCOL_VERSION,
        cluster: options.clusterId,
        from: options.nodeId,
        nonce,
        ...(serverProof === undefined ? {} : { proof: serverProof }),
      }),
    );
    return true;
  }

  private onAuth(state: { hello: Hello; nonce: Buffer }, payload: Buffer): boolean {
    const { options } = this.ctx;
    const auth = parseAuth(this.decode(payload));
    if (typeof auth === 'string') return this.refuse('protocol', auth);
    if (options.secret !== undefined) {
      const expected = proof('client', options.secret, {
        cluster: options.clusterId,
        server: options.nodeId,
        client: state.hello.from,
        clientNonce: state.hello.nonce,
        serverNonce: state.nonce,
      });
      if (!proofMatches(expected, auth.proof)) {
        return this.refuse('auth', `node ${state.hello.from} failed to prove the cluster secret`);
      }
    }
    this.handshakeTimer.cancel();
    this.state = { kind: 'open', peer: state.hello.from };
    this.decoder.maxFrameBytes = options.limits.maxFrameBytes;
    this.writeNow(FrameType.Welcome, options.codec.encode({}));
    this.writer.attach(this.socket);
    this.ctx.log('accepted', { peer: state.hello.from, remote: this.remote });
    return true;
  }

  private onRequest(peer: string, id: number, payload: Buffer): void {
    const { options, stats, faults } = this.ctx;
    if (faults.isCutIn(peer)) {
      stats.faultDrops += 1;
      return;
    }
    const request = this.decode(payload);
    if (!Array.isArray(request) || request.length !== 2 || typeof request[0] !== 'string') {
      this.answerError(id, 'BAD_REQUEST', 'a request payload must be [method, args]');
      return;
    }
    const method = request[0] as string;
    const server = options.server!;
    if (!server.has(method)) {
      this.answerError(id, 'UNKNOWN_METHOD', `no handler for ${method.slice(0, 100)}`);
      return;
    }
    stats.requestsServed += 1;
    this.inflight += 1;
    let result: unknown;
    try {
      result = server.dispatch(method, request[1]);
    } catch (error) {
      this.inflight -= 1;
      this.handlerFailed(id, method, error);
      return;
    }
    if (typeof (result as Promise<unknown> | undefined)?.then === 'function') {
      (result as Promise<unknown>).then(
        (reply) => {
          this.inflight -= 1;
          this.answer(id, method, reply);
        },
        (error: unknown) => {
          this.inflight -= 1;
          this.handlerFailed(id, method, error);
        },
      );
    } else {
      this.inflight -= 1;
      this.answer(id, method, result);
    }
  }

  private answer(id: number, method: string, reply: unknown): void {
    if (this.state.kind !== 'open') return;
    let payload: Uint8Array;
    try {
      payload = this.ctx.options.codec.encode(reply);
    } catch (error) {
      this.handlerFailed(id, method, error);
      return;
    }
    if (payload.length + HEAD_BYTES > this.ctx.options.limits.maxFrameBytes) {
      this.answerError(id, 'REPLY_TOO_LARGE', `the reply of ${method} exceeds maxFrameBytes`);
      return;
    }
    this.enqueue(encodeFrame(FrameType.Reply, id, payload));
  }

  private handlerFailed(id: number, method: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.answerError(id, 'HANDLER_ERROR', `${method} failed: ${message}`.slice(0, 200));
  }

  /** Answers an ERROR frame, with one log line. The connection stays open. */
  private answerError(id: number, code: string, message: string): void {
    this.ctx.stats.requestErrors += 1;
    this.ctx.log('request-error', { peer: this.peer, code, message });
    if (this.state.kind !== 'open') return;
    this.enqueue(
      encodeFrame(FrameType.Error, id, this.ctx.options.codec.encode({ code, message })),
    );
  }

  private enqueue(frame: Buffer): void {
    if (!this.writer.enqueue(frame)) {
      this.ctx.stats.queueFullDrops += 1;
      this.ctx.log('reply-dropped', { peer: this.peer, reason: 'reply queue full' });
    }
    this.maybeResume();
  }

  /** Writes a handshake frame at once (before the writer is attached). */
  private writeNow(type: FrameType, payload: Uint8Array): void {
    const frame = encodeFrame(type, 0, payload);
    this.ctx.stats.bytesSent += frame.length;
    this.socket.write(frame);
  }

  /** Refuses the handshake: REJECT with a reason code, one log line, then the socket closes. */
  private refuse(reason: RejectReason, detail: string): false {
    if (this.state.kind === 'closed') return false;
    const { stats, options } = this.ctx;
    stats.rejectedHandshakes += 1;
    if (reason === 'protocol') stats.rejectedFrames += 1;
    this.ctx.log('handshake-rejected', { reason, detail, remote: this.remote });
    this.reported = true;
    const frame = encodeFrame(FrameType.Reject, 0, options.codec.encode({ reason }));
    stats.bytesSent += frame.length;
    this.socket.end(frame);
    options.clock.setTimer(REJECT_LINGER_MS, () => this.socket.destroy());
    this.shutdown();
    return false;
  }

  /** Closes the connection; `reason` (bad input) is logged once. */
  close(reason: string | undefined): void {
    if (this.state.kind === 'closed') return;
    if (reason !== undefined && !this.reported) {
      this.reported = true;
      this.ctx.log('connection-closed', { peer: this.peer, reason, remote: this.remote });
    }
    this.socket.destroy();
    this.shutdown();
  }

  private shutdown(): void {
    this.state = { kind: 'closed' };
    this.handshakeTimer.cancel();
    this.writer.detach();
    this.decoder.reset();
    this.onClosed(this);
  }
}
