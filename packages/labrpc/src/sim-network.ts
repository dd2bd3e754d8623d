import { msgpackCodec } from '@raftkit/codec';
import { InvalidArgumentError } from '@raftkit/core';
import { UnknownEndError } from './errors/unknown-end-error.js';
import type { Codec, Rng } from '@raftkit/core';
import type { RpcServer } from '@raftkit/core';
import type { Simulation } from './simulation.js';
import type { CallResult, ClientEnd } from '@raftkit/core';

/** Network tuning. Defaults follow the MIT lab's labrpc; all times in virtual ms. */
export interface SimNetworkOptions {
  codec?: Codec;
  /** Per-hop latency range added to every request and reply (default [0.2, 2]). */
  latencyMs?: readonly [number, number];
  /** Probability a request is dropped on an unreliable network (lab: 0.1). */
  requestDropRate?: number;
  /** Probability a reply is dropped on an unreliable network (lab: 0.1). */
  replyDropRate?: number;
  /** Probability a reply is held back when long reordering is on (lab: 600/900). */
  reorderRate?: number;
  /**
   * A handler that has not answered after this many ms (a killed peer that
   * never replies, a handler stuck on a lost promise) is given up on: the call
   * resolves as lost, so a call never hangs while the network is alive.
   * Default 10 000.
   */
  handlerTimeoutMs?: number;
  /** Extra faults (duplication, delay spikes); see `setFaults`. Default none. */
  faults?: Partial<NetworkFaults>;
  /**
   * Trace every delivered request and reply, not only the faults (drops,
   * unreachable ends, dead servers, held-back replies, which are always
   * traced). Default: on when RAFTKIT_LOG is set.
   */
  traceDeliveries?: boolean;
}

/**
 * Faults beyond the lab's, for swarm testing. Each applies to every hop
 * (request or reply) independently; all rates are probabilities in [0, 1].
 */
export interface NetworkFaults {
  /** A request is delivered twice (its handler runs twice; the first reply wins). */
  duplicateRate: number;
  /** A request or reply is held back by a delay spike (which reorders it). */
  spikeRate: number;
  /** Range [min, max] of a spike's extra delay, in virtual ms. */
  spikeMs: readonly [number, number];
}

const NO_FAULTS: NetworkFaults = Object.freeze({
  duplicateRate: 0,
  spikeRate: 0,
  spikeMs: Object.freeze([0, 0]) as readonly [number, number],
});

interface EndState {
  enabled: boolean;
  /** Name of the server this end is connected to, if any. */
  server: string | undefined;
  /** The node that calls through this end (for one-way cuts), if declared. */
  owner: string | undefined;
}

/** A call whose handler is running; resolved early if its server dies. */
interface InflightCall {
  end: string;
  serverName: string;
  server: RpcServer;
  method: string;
  since: number;
  settle(result: CallResult<unknown>): void;
}

const LOST: CallResult<never> = { ok: false, reason: 'lost' };
const CLOSED: CallResult<never> = { ok: false, reason: 'closed' };

/**
 * The lab's labrpc in virtual time: named client ends connected to named
 * servers, enable/disable, reliable/unreliable, long delays, long reordering,
 * counts and bytes. Every argument and reply is encoded and decoded on every
 * hop, so a receiver never shares an object with its sender.
 */
export class SimNetwork {
  private readonly ends = new Map<string, EndState>();
  private readonly servers = new Map<string, RpcServer>();
  private readonly inflight = new Set<InflightCall>();
  private readonly rng: Rng;
  private readonly codec: Codec;
  private readonly latency: readonly [number, number];
  private readonly requestDropRate: number;
  private readonly replyDropRate: number;
  private readonly reorderRate: number;
  private readonly traceDeliveries: boolean;
  private readonly handlerTimeoutMs: number;
  private readonly cuts = new Set<string>();
  private faults: NetworkFaults = NO_FAULTS;
  private reliable = true;
  private longDelays = false;
  private longReordering = false;
  private closed = false;
  private calls = 0;
  private bytes = 0;
  private delivered = 0;

  constructor(
    private readonly sim: Simulation,
    options: SimNetworkOptions = {},
  ) {
    this.rng = sim.rng.fork('net');
    this.codec = options.codec ?? msgpackCodec;
    this.latency = range('latencyMs', options.latencyMs ?? [0.2, 2]);
    this.requestDropRate = rate('requestDropRate', options.requestDropRate ?? 0.1);
    this.replyDropRate = rate('replyDropRate', options.replyDropRate ?? 0.1);
    this.reorderRate = rate('reorderRate', options.reorderRate ?? 600 / 900);
    this.handlerTimeoutMs = options.handlerTimeoutMs ?? 10_000;
    if (!(this.handlerTimeoutMs > 0 && Number.isFinite(this.handlerTimeoutMs))) {
      throw new InvalidArgumentError({
        argument: 'handlerTimeoutMs',
        message: `handlerTimeoutMs must be a finite number > 0, got ${String(options.handlerTimeoutMs)}`,
      });
    }
    if (options.faults !== undefined) this.faults = validateFaults(options.faults);
    const envLog = process.env.RAFTKIT_LOG;
    this.traceDeliveries =
      options.traceDeliveries ??
      sim.traceDeliveries ??
      (envLog !== undefined && envLog !== '' && envLog !== '0');
    const [lo, hi] = this.latency;
    if (!(lo >= 0 && hi >= lo)) {
      throw new InvalidArgumentError({
        argument: 'latencyMs',
        message: `latencyMs must be [min, max] with 0 ≤ min ≤ max, got [${lo}, ${hi}]`,
      });
    }
    sim.addStallReporter(() =>
      [...this.inflight].map(
        (c) => `rpc ${c.method} via ${c.end} → server ${c.serverName} since t=${c.since}`,
      ),
    );
  }

  /**
   * Creates a client end. It starts disabled and unconnected. `owner` names
   * the node that calls through it (usually the caller's server name), which
   * `cut` needs to tell the direction of a message.
   */
  makeEnd(name: string, owner?: string): ClientEnd {
    if (this.ends.has(name)) {
      throw new InvalidArgumentError({
        argument: 'name',
        message: `client end "${name}" already exists; end names must be unique`,
      });
    }
    this.ends.set(name, { enabled: false, server: undefined, owner });
    return { call: (method, args) => this.call(name, method, args) };
  }

  deleteEnd(name: string): void {
    this.endState(name);
    this.ends.delete(name);
    this.killInflight((c) => c.end === name);
  }

  /** Connects an end to a server name (the server may be added later). */
  connect(endName: string, serverName: string): void {
    this.endState(endName).server = serverName;
  }

  enable(endName: string, enabled: boolean): void {
    this.endState(endName).enabled = enabled;
    if (!enabled) this.killInflight((c) => c.end === endName);
  }

  /** Registers a server under `name`, replacing (and killing calls to) any previous one. */
  addServer(name: string, server: RpcServer): void {
    this.servers.set(name, server);
    this.killInflight((c) => c.serverName === name && c.server !== server);
  }

  /** Removes a server: calls in flight to it are lost and never reach a replacement. */
  deleteServer(name: string): void {
    this.servers.delete(name);
    this.killInflight((c) => c.serverName === name);
  }

  setReliable(reliable: boolean): void {
    if (reliable !== this.reliable) this.sim.trace('net', 'reliable', { on: reliable });
    this.reliable = reliable;
  }

  /**
   * A one-way cut: while on, every message travelling from node `from` to
   * node `to` is lost — requests on ends owned by `from` to server `to`, and
   * replies to requests that `to` made of server `from`. Messages the other
   * way still flow. Node names are server names (and end owners).
   */
  cut(from: string, to: string, on: boolean): void {
    const key = `${from}\u0000${to}`;
    if (on) this.cuts.add(key);
    else this.cuts.delete(key);
  }

  /** Removes every one-way cut. */
  healCuts(): void {
    this.cuts.clear();
  }

  /** Whether messages from node `from` to node `to` are cut. */
  isCut(from: string | undefined, to: string | undefined): boolean {
    if (this.cuts.size === 0 || from === undefined || to === undefined) return false;
    return this.cuts.has(`${from}\u0000${to}`);
  }

  /** Sets the extra faults (validated; omitted fields are off). */
  setFaults(faults: Partial<NetworkFaults>): void {
    this.faults = validateFaults(faults);
  }

  setLongDelays(on: boolean): void {
    this.longDelays = on;
  }

  setLongReordering(on: boolean): void {
    if (on !== this.longReordering) this.sim.trace('net', 'long-reordering', { on });
    this.longReordering = on;
  }

  /** RPCs dispatched to the handler of the server now registered as `name`. */
  serverRpcCount(name: string): number {
    return this.servers.get(name)?.rpcCount ?? 0;
  }

  /** Every call issued, including dropped calls and calls on disabled ends. */
  totalRpcCount(): number {
    return this.calls;
  }

  /** Encoded bytes of every call's arguments plus every delivered reply. */
  totalBytes(): number {
    return this.bytes;
  }

  /**
   * Encoded bytes that reached their destination: arguments dispatched to a handler plus
   * replies delivered (what a real network carried to a live peer; excludes calls lost to
   * drops, cuts, disabled ends and dead servers).
   */
  deliveredBytes(): number {
    return this.delivered;
  }

  /** Shuts the network down: calls in flight and later calls resolve as closed. */
  cleanup(): void {
    this.closed = true;
    for (const c of [...this.inflight]) c.settle(CLOSED);
  }

  private endState(name: string): EndState {
    const state = this.ends.get(name);
    if (state === undefined)
      throw new UnknownEndError({
        end: name,
        message: `no client end named "${name}"; create it with makeEnd first`,
      });
    return state;
  }

  private hopLatency(): number {
    const [lo, hi] = this.latency;
    return lo + (hi - lo) * this.rng.float();
  }

  private call(endName: string, method: string, args: unknown): Promise<CallResult<unknown>> {
    if (this.closed) return Promise.resolve(CLOSED);
    const request = this.codec.encode(args);
    this.calls += 1;
    this.bytes += request.length;
    const clock = this.sim.clock;
    const end = this.ends.get(endName);
    const serverName = end?.server;
    const server = serverName === undefined ? undefined : this.servers.get(serverName);
    return new Promise((resolve) => {
      let done = false;
      const settle = (result: CallResult<unknown>) => {
        if (done) return;
        done = true;
        resolve(result);
      };
      if (end === undefined || !end.enabled || serverName === undefined || server === undefined) {
        const delay = this.longDelays ? this.rng.int(0, 6999) : this.rng.int(0, 99);
        this.note('unreachable', endName, method, { lostAfter: delay, server: serverName });
        clock.setTimer(delay, () => settle(LOST), 'rpc-lost');
        return;
      }
      const reliable = this.reliable;
      const delay = this.hopLatency() + (reliable ? 0 : this.rng.int(0, 26)) + this.spike();
      if (!reliable && this.rng.chance(this.requestDropRate)) {
        this.note('drop-request', endName, method, { server: serverName });
        clock.setTimer(delay, () => settle(LOST), 'rpc-request-drop');
        return;
      }
      if (this.isCut(end.owner, serverName)) {
        this.note('cut-request', endName, method);
        clock.setTimer(delay, () => settle(LOST), 'rpc-request-drop');
        return;
      }
      const sent = clock.now();
      clock.setTimer(
        delay,
        () => this.deliver(endName, serverName, server, method, request, settle, sent),
        'rpc-request',
      );
      const { duplicateRate } = this.faults;
      if (duplicateRate > 0 && this.rng.chance(duplicateRate)) {
        // The network delivers a second copy later; whichever reply comes back first wins.
        this.bytes += request.length;
        const again = delay + this.hopLatency() + this.spike();
        this.note('duplicate-request', endName, method, { after: again });
        clock.setTimer(
          again,
          () => this.deliver(endName, serverName, server, method, request, settle, sent),
          'rpc-request-dup',
        );
      }
    });
  }

  /** Extra delay of a spike, or 0 (draws nothing when spikes are off). */
  private spike(): number {
    const { spikeRate, spikeMs } = this.faults;
    if (spikeRate === 0 || !this.rng.chance(spikeRate)) return 0;
    return spikeMs[0] + (spikeMs[1] - spikeMs[0]) * this.rng.float();
  }

  private deliver(
    endName: string,
    serverName: string,
    server: RpcServer,
    method: string,
    request: Uint8Array,
    settle: (result: CallResult<unknown>) => void,
    sent: number,
  ): void {
    if (this.closed) {
      settle(CLOSED);
      return;
    }
    const call: InflightCall = {
      end: endName,
      serverName,
      server,
      method,
      since: this.sim.clock.now(),
      settle,
    };
    this.inflight.add(call);
    this.delivered += request.length;
    if (this.traceDeliveries) this.note('request', endName, method, { server: serverName, sent });
    const finish = (reply: unknown) => {
      if (!this.inflight.delete(call)) return; // already resolved as lost or closed
      this.reply(call, reply);
    };
    const fail = (error: unknown) => {
      this.inflight.delete(call);
      this.sim.fail(error);
      settle(LOST);
    };
    try {
      const result = server.dispatch(method, this.codec.decode(request));
      if (result instanceof Promise) {
        const timer = this.sim.clock.setTimer(
          this.handlerTimeoutMs,
          () => {
            if (!this.inflight.delete(call)) return;
            this.note('handler-timeout', endName, method);
            settle(LOST);
          },
          'rpc-handler-timeout',
        );
        result.then(
          (reply) => {
            timer.cancel();
            finish(reply);
          },
          (error) => {
            timer.cancel();
            fail(error);
          },
        );
      } else finish(result);
    } catch (error) {
      fail(error);
    }
  }

  private reply(call: InflightCall, reply: unknown): void {
    const end = this.ends.get(call.end);
    const dead =
      end === undefined || !end.enabled || this.servers.get(call.serverName) !== call.server;
    if (dead || this.closed) {
      this.note('dead-reply', call.end, call.method, { server: call.serverName });
      call.settle(this.closed ? CLOSED : LOST);
      return;
    }
    const encoded = this.codec.encode(reply);
    if (!this.reliable && this.rng.chance(this.replyDropRate)) {
      this.note('drop-reply', call.end, call.method, { server: call.serverName });
      call.settle(LOST);
      return;
    }
    if (this.isCut(call.serverName, end.owner)) {
      this.note('cut-reply', call.end, call.method);
      call.settle(LOST);
      return;
    }
    let delay = this.hopLatency() + this.spike();
    const sent = this.sim.clock.now();
    if (this.longReordering && this.rng.chance(this.reorderRate)) {
      delay += 200 + this.rng.int(0, this.rng.int(0, 1999));
      this.note('hold-reply', call.end, call.method, { delay, server: call.serverName });
    }
    this.sim.clock.setTimer(
      delay,
      () => {
        if (this.closed) {
          call.settle(CLOSED);
          return;
        }
        this.bytes += encoded.length;
        this.delivered += encoded.length;
        if (this.traceDeliveries) {
          this.note('reply', call.end, call.method, { server: call.serverName, sent });
        }
        call.settle({ ok: true, reply: this.codec.decode(encoded) });
      },
      'rpc-reply',
    );
  }

  private note(ev: string, end: string, method: string, extra?: Record<string, unknown>): void {
    this.sim.trace('net', ev, { end, method, ...extra });
  }

  private killInflight(match: (call: InflightCall) => boolean): void {
    for (const c of [...this.inflight]) {
      if (match(c)) {
        this.inflight.delete(c);
        this.note('dead-server', c.end, c.method);
        this.sim.clock.setTimer(0, () => c.settle(LOST), 'rpc-dead');
      }
    }
  }
}

function rate(argument: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new InvalidArgumentError({
      argument,
      message: `${argument} must be a probability in [0, 1], got ${String(value)}`,
    });
  }
  return value;
}

function range(argument: string, value: unknown): readonly [number, number] {
  const ok =
    Array.isArray(value) &&
    value.length === 2 &&
    typeof value[0] === 'number' &&
    typeof value[1] === 'number' &&
    Number.isFinite(value[1]) &&
    value[0] >= 0 &&
    value[1] >= value[0];
  if (!ok) {
    throw new InvalidArgumentError({
      argument,
      message: `${argument} must be [min, max] with 0 ≤ min ≤ max (finite ms), got ${JSON.stringify(value)}`,
    });
  }
  return [value[0], value[1]] as const;
}

function validateFaults(faults: Partial<NetworkFaults>): NetworkFaults {
  if (typeof faults !== 'object' || faults === null) {
    throw new InvalidArgumentError({ argument: 'faults', message: 'faults must be an object' });
  }
  return {
    duplicateRate: rate('faults.duplicateRate', faults.duplicateRate ?? 0),
    spikeRate: rate('faults.spikeRate', faults.spikeRate ?? 0),
    spikeMs: range('faults.spikeMs', faults.spikeMs ?? [0, 0]),
  };
}
