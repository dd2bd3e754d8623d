import type { Socket } from 'node:net';
import { type CallResult, InvalidArgumentError, type Timer } from '@raftkit/core';
import { backoffDelay } from './backoff.js';
import type { TransportContext } from './context.js';
import { answerChallenge, dial } from './dial.js';
import { FAULT_LOST_MAX_MS } from './faults.js';
import { encodeFrame, FrameType, HEAD_BYTES, MAX_ID } from './frame.js';
import { FrameDecoder } from './frame-decoder.js';
import { FrameWriter } from './frame-writer.js';
import { MAX_HANDSHAKE_FRAME_BYTES, newNonce, PROTOCOL_VERSION, parseReject } from './handshake.js';
import type { PeerAddress } from './options.js';
import { type PendingCall, PendingCalls } from './pending-calls.js';

const LOST: CallResult<never> = Object.freeze({ ok: false, reason: 'lost' });
const CLOSED: CallResult<never> = Object.freeze({ ok: false, reason: 'closed' });

/** The outbound connection's life. One socket at a time; `backoff` refuses calls until `until`. */
type LinkState =
  | { kind: 'idle' }
  | {
      kind: 'connecting';
      socket: Socket;
      phase: 'hello-sent' | 'auth-sent';
      nonce: Buffer;
      timer: Timer;
    }
  | { kind: 'open'; socket: Socket }
  | { kind: 'backoff'; until: number }
  | { kind: 'closed' };

/**
 * This node's link to one peer: one long-lived connection, opened by the
 * first call, re-opened after a failure once a capped exponential back-off
 * (with jitter) has passed. While it backs off, calls are lost at once (the
 * caller — Raft, a clerk — retries or moves on). Many calls share the
 * connection; replies are matched by request id.
 */
export class PeerLink {
  private state: LinkState = { kind: 'idle' };
  private readonly pending: PendingCalls;
  private readonly writer: FrameWriter;
  private decoder: FrameDecoder | undefined;
  private nextId = 1;
  /** Consecutive failed connections (0 after a successful handshake). */
  private failures = 0;
  private attempts = 0;

  constructor(
    private readonly ctx: TransportContext,
    readonly peer: string,
    private readonly address: () => PeerAddress | undefined,
  ) {
    const { limits } = ctx.options;
    this.pending = new PendingCalls(ctx.options.clock, (_id, call) => {
      ctx.stats.timeouts += 1;
      this.finish(call, LOST);
    });
    this.writer = new FrameWriter(
      { maxMessages: limits.maxQueueMessages, maxBytes: limits.maxQueueBytes },
      (bytes) => {
        ctx.stats.bytesSent += bytes;
      },
    );
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  call(method: string, args: unknown): Promise<CallResult<unknown>> {
    const { ctx } = this;
    if (ctx.closed || this.state.kind === 'closed') return Promise.resolve(CLOSED);
    const { options, stats, faults } = ctx;
    if (typeof method !== 'string') {
      return Promise.reject(
        new InvalidArgumentError({
          argument: 'method',
          message: 'method must be a string "Service.Method"',
        }),
      );
    }
    stats.calls += 1;
    const rule = faults.rule(this.peer);
    if (
      faults.isCutOut(this.peer) ||
      (rule !== undefined && options.rng.chance(rule.dropRequests))
    ) {
      return this.faultLost();
    }
    let payload: Uint8Array;
    try {
      payload = options.codec.encode([method, args]);
    } catch (cause) {
      stats.calls -= 1;
      return Promise.reject(
        new InvalidArgumentError({
          argument: 'args',
          message: `the arguments of ${method} cannot be encoded: ${(cause as Error).message}`,
          cause,
        }),
      );
    }
    if (payload.length + HEAD_BYTES > options.limits.maxFrameBytes) {
      ctx.log('frame-too-large', { peer: this.peer, method, bytes: payload.length });
      stats.lost += 1;
      return Promise.resolve(LOST);
    }
    if (this.pending.size >= options.limits.maxPendingCalls) {
      stats.queueFullDrops += 1;
      stats.lost += 1;
      return Promise.resolve(LOST);
    }
    const id = this.allocateId();
    const frame = encodeFrame(FrameType.Request, id, payload);
    const dropReply =
      rule !== undefined && rule.dropReplies > 0 && options.rng.chance(rule.dropReplies);
    const delay = rule?.delayMs;
    return new Promise((resolve) => {
      this.pending.add(id, {
        method,
        deadline: options.clock.now() + options.callTimeoutMs,
        dropReply,
        resolve,
      });
      if (delay === undefined || delay[1] === 0) this.transmit(id, frame);
      else {
        const ms = delay[0] + (delay[1] - delay[0]) * options.rng.float();
        options.clock.setTimer(ms, () => this.transmit(id, frame));
      }
    });
  }

  /** The transport is closing: every pending call resolves as closed; no reconnect. */
  close(): void {
    const wasOpen = this.state.kind === 'open';
    const socket = this.socketOf();
    if (this.state.kind === 'connecting') this.state.timer.cancel();
    this.state = { kind: 'closed' };
    this.writer.detach();
    this.decoder?.reset();
    socket?.destroy();
    if (wasOpen) this.ctx.stats.outboundConnections -= 1;
    for (const call of this.pending.takeAll()) this.finish(call, CLOSED);
  }

  private allocateId(): number {
    // Ids wrap after 2^32 - 1 calls; skip any still pending (practically never).
    for (;;) {
      const id = this.nextId;
      this.nextId = id === MAX_ID ? 1 : id + 1;
      if (!this.pending.has(id)) return id;
    }
  }

  private faultLost(): Promise<CallResult<unknown>> {
    const { stats, options } = this.ctx;
    stats.faultDrops += 1;
    stats.lost += 1;
    return new Promise((resolve) => {
      options.clock.setTimer(options.rng.int(0, FAULT_LOST_MAX_MS), () =>
        resolve(this.ctx.closed ? CLOSED : LOST),
      );
    });
  }

  private finish(call: PendingCall, result: CallResult<unknown>): void {
    const { stats } = this.ctx;
    if (result.ok) stats.replies += 1;
    else stats.lost += 1;
    call.resolve(result);
  }

  /** Hands a request frame to the connection (opening it if needed). */
  private transmit(id: number, frame: Buffer): void {
    if (!this.pending.has(id)) return; // expired or closed meanwhile
    const state = this.state;
    if (state.kind === 'backoff') {
      if (this.ctx.options.clock.now() < state.until) {
        this.ctx.stats.unreachableDrops += 1;
        this.finish(this.pending.take(id)!, LOST);
        return;
      }
      this.open();
    } else if (state.kind === 'idle') {
      this.open();
    }
    if (!this.writer.enqueue(frame)) {
      this.ctx.stats.queueFullDrops += 1;
      this.finish(this.pending.take(id)!, LOST);
    }
  }

  private socketOf(): Socket | undefined {
    const s = this.state;
    return s.kind === 'connecting' || s.kind === 'open' ? s.socket : undefined;
  }

  private open(): void {
    const { ctx } = this;
    const { options } = ctx;
    const address = this.address();
    if (address === undefined) {
      this.fail('no address', undefined);
      return;
    }
    if (this.attempts > 0) ctx.stats.reconnects += 1;
    this.attempts += 1;
    const socket = dial(ctx, this.peer, address);
    const nonce = newNonce();
    const timer = options.clock.setTimer(options.handshakeTimeoutMs, () =>
      this.fail('handshake timeout', socket),
    );
    this.state = { kind: 'connecting', socket, phase: 'hello-sent', nonce, timer };
    const decoder = new FrameDecoder(MAX_HANDSHAKE_FRAME_BYTES, (type, id, payload) =>
      this.onFrame(socket, type, id, payload),
    );
    this.decoder = decoder;
    socket.on(ctx.tls === undefined ? 'connect' : 'secureConnect', () => {
      if (this.socketOf() !== socket) return;
      const hello = options.codec.encode({
        v: PROTOCOL_VERSION,
        cluster: options.clusterId,
        from: options.nodeId,
        to: this.peer,
        nonce,
      });
      this.writeRaw(socket, encodeFrame(FrameType.Hello, 0, hello));
    });
    socket.on('data', (chunk: Buffer) => {
      ctx.stats.bytesReceived += chunk.length;
      const failure = decoder.push(chunk);
      ctx.stats.peakDecoderBytes = Math.max(ctx.stats.peakDecoderBytes, decoder.peakBuffered);
      if (failure !== undefined && this.socketOf() === socket) {
        ctx.stats.rejectedFrames += 1;
        this.fail(`${failure.kind} frame (length ${failure.length})`, socket);
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (this.socketOf() === socket) this.fail(error.code ?? error.message, socket);
    });
    socket.on('close', () => {
      if (this.socketOf() !== socket) return;
      if (decoder.buffered > 0) {
        ctx.stats.rejectedFrames += 1;
        this.fail(`truncated stream (${decoder.buffered} bytes of an incomplete frame)`, socket);
      } else this.fail('connection closed by peer', socket);
    });
  }

  private writeRaw(socket: Socket, frame: Buffer): void {
    this.ctx.stats.bytesSent += frame.length;
    socket.write(frame);
  }

  /** Returns false when the connection was failed (stop decoding). */
  private onFrame(socket: Socket, type: number, id: number, payload: Buffer): boolean {
    const state = this.state;
    if (state.kind === 'open' && state.socket === socket) {
      if (type === FrameType.Reply) return this.onReply(socket, id, payload);
      if (type === FrameType.Error) return this.onError(socket, id, payload);
      return this.protocolError(socket, `unexpected frame type ${type} on an open connection`);
    }
    if (state.kind !== 'connecting' || state.socket !== socket) return false;
    const { options } = this.ctx;
    if (type === FrameType.Reject) {
      const reason = parseReject(this.decode(payload));
      this.fail(`refused by peer: ${reason}`, socket);
      return false;
    }
    if (type === FrameType.Challenge && state.phase === 'hello-sent') {
      const answer = answerChallenge(this.ctx, this.peer, state.nonce, this.decode(payload));
      if ('refuse' in answer) {
        if (answer.protocol) return this.protocolError(socket, answer.refuse);
        this.fail(answer.refuse, socket);
        return false;
      }
      state.phase = 'auth-sent';
      this.writeRaw(socket, encodeFrame(FrameType.Auth, 0, options.codec.encode(answer.auth)));
      return true;
    }
    if (type === FrameType.Welcome && state.phase === 'auth-sent') {
      state.timer.cancel();
      this.state = { kind: 'open', socket };
      this.failures = 0;
      this.decoder!.maxFrameBytes = options.limits.maxFrameBytes;
      this.ctx.stats.outboundConnections += 1;
      this.ctx.log('connected', { peer: this.peer, attempt: this.attempts });
      this.writer.attach(socket);
      return true;
    }
    return this.protocolError(socket, `unexpected frame type ${type} during the handshake`);
  }

  private decode(payload: Buffer): unknown {
    try {
      return this.ctx.options.codec.decode(payload);
    } catch {
      return undefined;
    }
  }

  private onReply(socket: Socket, id: number, payload: Buffer): boolean {
    const call = this.pending.take(id);
    if (call === undefined) return true; // expired already: a late reply
    let reply: unknown;
    try {
      reply = this.ctx.options.codec.decode(payload);
    } catch {
      this.finish(call, LOST);
      return this.protocolError(socket, `undecodable reply to ${call.method}`);
    }
    if (call.dropReply) {
      this.ctx.stats.faultDrops += 1;
      this.finish(call, LOST);
    } else this.finish(call, { ok: true, reply });
    return true;
  }

  private onError(socket: Socket, id: number, payload: Buffer): boolean {
    const call = this.pending.take(id);
    if (call === undefined) return true;
    const body = this.decode(payload) as { code?: unknown; message?: unknown } | undefined;
    const code = typeof body?.code === 'string' ? body.code.slice(0, 64) : 'UNKNOWN';
    const message = typeof body?.message === 'string' ? body.message.slice(0, 200) : '';
    this.ctx.stats.remoteErrors += 1;
    this.ctx.log('remote-error', { peer: this.peer, method: call.method, code, message });
    this.finish(call, LOST);
    return socket === this.socketOf();
  }

  private protocolError(socket: Socket, what: string): boolean {
    this.ctx.stats.rejectedFrames += 1;
    this.fail(`protocol error: ${what}`, socket);
    return false;
  }

  /**
   * The connection (or attempt) is over: every call on it is lost, and the
   * next call waits for the back-off. Logs one line.
   */
  private fail(reason: string, socket: Socket | undefined): void {
    const { ctx } = this;
    const state = this.state;
    if (state.kind === 'closed') return;
    if (socket !== undefined && this.socketOf() !== socket) return;
    const wasOpen = state.kind === 'open';
    if (state.kind === 'connecting') state.timer.cancel();
    socket?.destroy();
    this.writer.detach();
    this.decoder?.reset();
    if (wasOpen) ctx.stats.outboundConnections -= 1;
    else ctx.stats.connectFailures += 1;
    this.failures += 1;
    const delay = backoffDelay(this.failures, ctx.options.backoff, ctx.options.rng);
    this.state = { kind: 'backoff', until: ctx.options.clock.now() + delay };
    const lost = this.pending.takeAll();
    ctx.log(wasOpen ? 'disconnected' : 'connect-failed', {
      peer: this.peer,
      reason,
      lostCalls: lost.length,
      retryInMs: Math.round(delay),
    });
    for (const call of lost) this.finish(call, LOST);
  }
}
