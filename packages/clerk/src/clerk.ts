import {
  type ClientEnd,
  type Clock,
  createCryptoRng,
  InvalidArgumentError,
  type Logger,
  noopLogger,
  RealClock,
  type Rng,
  type ServiceClient,
  serviceClient,
} from '@raftkit/core';
import { type KvMethods, kvService } from '@raftkit/kv-protocol';
import { ClerkAbortedError } from './errors/clerk-aborted-error.js';
import { KvBadRequestError } from './errors/bad-request-error.js';

export interface ClerkOptions {
  /**
   * Default: the real clock. Simulations must pass their virtual clock: inside a running
   * simulation the default is refused with `RealTimeInSimulationError` (from @raftkit/core)
   * rather than silently making the run depend on the wall clock.
   */
  clock?: Clock;
  /**
   * Draws the clerk id when none is given. Default: a crypto-seeded rng (refused inside a
   * running simulation, like the real clock).
   */
  rng?: Rng;
  /** A unique id for this clerk; default: 16 random base-36 characters from `rng`. */
  clientId?: string;
  /** Pause after every server has refused or lost a request in turn (ms). Default 20. */
  retryPauseMs?: number;
  logger?: Logger;
}

/** Per-call limits; without them a call retries until it succeeds. */
export interface CallOptions {
  /** Give up after this many ms of the clerk's clock. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

type Method = keyof KvMethods & string;

/**
 * The key/value client. It remembers the last leader and tries it first,
 * moves to the next server on a wrong-leader answer or a lost call, and
 * retries until the operation succeeds (or its deadline/signal ends it).
 * Each write carries (clientId, seq) so a retry executes at most once.
 * Calls on one clerk should not overlap: its sequence numbers assume one
 * outstanding request, as in the lab.
 */
export class Clerk {
  readonly clientId: string;
  private readonly servers: ServiceClient<KvMethods>[];
  private readonly clock: Clock;
  private readonly pauseMs: number;
  private readonly logger: Logger;
  private leader = 0;
  private seq = 0;

  constructor(servers: readonly ClientEnd[], options: ClerkOptions = {}) {
    if (!Array.isArray(servers) || servers.length === 0) {
      throw new InvalidArgumentError({
        argument: 'servers',
        message: 'a clerk needs at least one server end',
      });
    }
    this.servers = servers.map((end) => serviceClient(end, kvService));
    this.clock = options.clock ?? new RealClock();
    this.pauseMs = options.retryPauseMs ?? 20;
    this.logger = options.logger ?? noopLogger;
    if (
      options.clientId !== undefined &&
      (typeof options.clientId !== 'string' || options.clientId.length === 0)
    ) {
      throw new InvalidArgumentError({
        argument: 'clientId',
        message: 'clientId must be a non-empty string',
      });
    }
    this.clientId = options.clientId ?? randomId(options.rng ?? createCryptoRng());
  }

  /** The value of `key`, or "" when it has never been written. */
  async get(key: string, options?: CallOptions): Promise<string> {
    checkString('key', key);
    const reply = await this.invoke(
      'Get',
      { key, clientId: this.clientId, seq: this.nextSeq() },
      options,
    );
    return (reply as KvMethods['Get']['reply']).value;
  }

  async put(key: string, value: string, options?: CallOptions): Promise<void> {
    checkString('key', key);
    checkString('value', value);
    await this.invoke('Put', { key, value, clientId: this.clientId, seq: this.nextSeq() }, options);
  }

  /** Appends `value` to the value of `key` (a missing key acts as ""). */
  async append(key: string, value: string, options?: CallOptions): Promise<void> {
    checkString('key', key);
    checkString('value', value);
    await this.invoke(
      'Append',
      { key, value, clientId: this.clientId, seq: this.nextSeq() },
      options,
    );
  }

  private nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  private async invoke<M extends Method>(
    method: M,
    args: KvMethods[M]['args'],
    options: CallOptions = {},
  ): Promise<KvMethods[M]['reply']> {
    const deadline =
      options.timeoutMs === undefined
        ? Number.POSITIVE_INFINITY
        : this.clock.now() + options.timeoutMs;
    const n = this.servers.length;
    // Servers asked since the last pause; a full round without success pauses.
    let asked = 0;
    // A lost call to the remembered leader is retried there once before moving on:
    // on a lossy network the leader is usually still the leader.
    let retriedLeader = false;
    for (;;) {
      this.checkStop(method, deadline, options.signal);
      const server = this.leader;
      const result = await this.servers[server]!.call(method, args);
      if (result.ok) {
        const reply = result.reply as KvMethods[M]['reply'];
        if (reply.err === 'OK') return reply;
        if (reply.err === 'ErrBadRequest')
          throw new KvBadRequestError({ message: reply.message ?? 'no reason given' });
      } else if (!retriedLeader && asked === 0) {
        retriedLeader = true;
        continue;
      }
      this.logger.log(`clerk-${this.clientId}`, 'retry', {
        method,
        server,
        err: result.ok ? result.reply.err : result.reason,
      });
      this.leader = (server + 1) % n;
      asked += 1;
      if (asked >= n) {
        asked = 0;
        await this.pause(method, deadline, options.signal);
      }
    }
  }

  private async pause(
    method: string,
    deadline: number,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const wait = Math.min(this.pauseMs, Math.max(0, deadline - this.clock.now()));
    try {
      await this.clock.sleep(wait, signal);
    } catch (cause) {
      throw new ClerkAbortedError({ reason: 'aborted', operation: method, cause });
    }
  }

  private checkStop(method: string, deadline: number, signal: AbortSignal | undefined): void {
    if (signal?.aborted)
      throw new ClerkAbortedError({ reason: 'aborted', operation: method, cause: signal.reason });
    if (this.clock.now() >= deadline)
      throw new ClerkAbortedError({ reason: 'deadline', operation: method });
  }
}

function checkString(argument: string, value: unknown): void {
  if (typeof value !== 'string') {
    throw new InvalidArgumentError({
      argument,
      message: `${argument} must be a string, got ${typeof value}`,
    });
  }
}

function randomId(rng: Rng): string {
  let id = '';
  for (let i = 0; i < 16; i++) id += rng.int(0, 35).toString(36);
  return id;
}
