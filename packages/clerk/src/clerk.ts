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
import {
  DEFAULT_REQUEST_LIMITS,
  type DeleteRangeRequest,
  type DeleteRangeResult,
  etcdError,
  etcdProblem,
  type KvBytes,
  type KvErr,
  type KvMethods,
  type KvRequest,
  type KvResult,
  kvRequestProblem,
  kvService,
  type LeaseGrantResult,
  type PutRequest,
  type PutResult,
  prefixRangeEnd,
  type RangeRequest,
  type RangeResult,
  type RequestLimits,
  requestProblem,
  type TxnRequest,
  type TxnResult,
} from '@raftkit/kv-protocol';
import { CallStopper } from './call-stopper.js';
import { KvBadRequestError } from './errors/bad-request-error.js';
import { ClientIdInUseError } from './errors/client-id-in-use-error.js';
import { KvRequestError } from './errors/kv-request-error.js';
import {
  type CallOptions,
  type ClerkOptions,
  validateCallOptions,
  validateClerkOptions,
} from './options.js';

export type RangeOptions = Omit<RangeRequest, 'key'> &
  CallOptions & {
    /** Every key starting with `key` (sets `rangeEnd`). */
    prefix?: boolean;
  };
export type PutOptions = Omit<PutRequest, 'key' | 'value'> & CallOptions;
export type DeleteOptions = Omit<DeleteRangeRequest, 'key'> & CallOptions & { prefix?: boolean };

/** Errors that mean "try another server" (or the same one later). */
const RETRY: ReadonlySet<KvErr> = new Set([
  'ErrWrongLeader',
  'ErrTimeout',
  'ErrKilled',
  'ErrNoLeader',
]);

/** Explicit client ids in use, per clock (one simulated world, or the process's real time). */
const idsInUse = new WeakMap<object, Set<string>>();
const processKey = {};

/**
 * The key/value client. It remembers the last leader and tries it first,
 * moves to the next server on a wrong-leader answer or a lost call, and
 * retries until the operation succeeds (or its deadline/signal ends it, at
 * that moment, whatever is in flight). Each write carries (clientId, seq),
 * so a retry executes at most once. Everything is validated against the
 * protocol's limits before anything is sent. Calls on one clerk should not
 * overlap: its sequence numbers assume one outstanding request.
 */
export class Clerk {
  readonly clientId: string;
  private readonly servers: ServiceClient<KvMethods>[];
  private readonly clock: Clock;
  private readonly pauseMs: number;
  private readonly logger: Logger;
  private readonly limits: RequestLimits;
  private readonly registry: Set<string> | undefined;
  private leader = 0;
  private seq = 0;
  private closed = false;

  constructor(servers: readonly ClientEnd[], options: ClerkOptions = {}) {
    if (!Array.isArray(servers) || servers.length === 0) {
      throw new InvalidArgumentError({
        argument: 'servers',
        message: 'a clerk needs at least one server end',
      });
    }
    validateClerkOptions(options);
    this.servers = servers.map((end) => serviceClient(end, kvService));
    this.clock = options.clock ?? new RealClock();
    this.pauseMs = options.retryPauseMs ?? 20;
    this.logger = options.logger ?? noopLogger;
    this.limits = options.limits ?? DEFAULT_REQUEST_LIMITS;
    if (options.clientId !== undefined) {
      // Only explicit ids can collide: random ones are 82 bits.
      const key = options.clock ?? processKey;
      const ids = idsInUse.get(key) ?? new Set<string>();
      idsInUse.set(key, ids);
      if (ids.has(options.clientId))
        throw new ClientIdInUseError({ clientId: options.clientId, where: 'process' });
      ids.add(options.clientId);
      this.registry = ids;
    }
    this.clientId = options.clientId ?? randomId(options.rng ?? createCryptoRng());
  }

  /** Releases an explicit `clientId` for another clerk of this process. Further calls throw. */
  close(): void {
    this.closed = true;
    this.registry?.delete(this.clientId);
  }

  /** The value of `key` as text, or "" when it does not exist. */
  async get(key: KvBytes, options?: CallOptions): Promise<string> {
    const args = { key, clientId: this.clientId, seq: 0 };
    this.check('get', requestProblem({ ...args, seq: 1 }, false, this.limits), options);
    args.seq = this.nextSeq();
    const reply = await this.invoke('Get', args, options, 'get', false);
    return (reply as KvMethods['Get']['reply']).value;
  }

  /** Keys and values of a key, a prefix or an interval (see RangeRequest). */
  async range(key: KvBytes, options: RangeOptions = {}): Promise<RangeResult> {
    const { timeoutMs, signal, prefix, ...fields } = options;
    const request: KvRequest = { op: 'range', key, ...fields };
    if (prefix) request.rangeEnd = prefixRangeEnd(key);
    return (await this.execute(request, { timeoutMs, signal })) as RangeResult;
  }

  /** Puts `value` at `key`; with `prevKv` the result holds the previous key-value. */
  async put(key: KvBytes, value: KvBytes, options: PutOptions = {}): Promise<PutResult> {
    const { timeoutMs, signal, ...fields } = options;
    return (await this.execute(
      { op: 'put', key, value, ...fields },
      { timeoutMs, signal },
    )) as PutResult;
  }

  /** Appends `value` to the value of `key` (a missing key acts as ""). */
  async append(key: KvBytes, value: KvBytes, options: CallOptions = {}): Promise<PutResult> {
    return (await this.execute({ op: 'append', key, value }, options)) as PutResult;
  }

  /** Deletes a key, a prefix or an interval. */
  async delete(key: KvBytes, options: DeleteOptions = {}): Promise<DeleteRangeResult> {
    const { timeoutMs, signal, prefix, ...fields } = options;
    const request: KvRequest = { op: 'deleteRange', key, ...fields };
    if (prefix) request.rangeEnd = prefixRangeEnd(key);
    return (await this.execute(request, { timeoutMs, signal })) as DeleteRangeResult;
  }

  /** If every compare holds, runs `success`, else `failure`: atomically, as one log entry. */
  async txn(txn: TxnRequest, options: CallOptions = {}): Promise<TxnResult> {
    return (await this.execute({ op: 'txn', ...txn }, options)) as TxnResult;
  }

  /** Forgets every revision below `revision`. */
  async compact(revision: number, options: CallOptions = {}): Promise<void> {
    await this.execute({ op: 'compact', revision }, options);
  }

  /** Grants a lease of `ttl` seconds (id 0 or omitted: the leader picks one). */
  async leaseGrant(
    ttl: number,
    options: CallOptions & { id?: number } = {},
  ): Promise<LeaseGrantResult> {
    const { id, ...call } = options;
    const request: KvRequest = { op: 'leaseGrant', ttl };
    if (id !== undefined) request.id = id;
    return (await this.execute(request, call)) as LeaseGrantResult;
  }

  /** Revokes a lease, deleting its keys. */
  async leaseRevoke(id: number, options: CallOptions = {}): Promise<void> {
    await this.execute({ op: 'leaseRevoke', id }, options);
  }

  private async execute(request: KvRequest, options: CallOptions): Promise<KvResult> {
    const problem = kvRequestProblem(request, this.limits);
    const etcd = problem === undefined ? etcdProblem(request) : undefined;
    this.check(request.op, problem ?? (etcd && etcdError(etcd).message), options);
    const write = request.op !== 'range';
    const args = { clientId: this.clientId, seq: this.nextSeq(), request };
    const reply = await this.invoke('Execute', args, options, request.op, write);
    return (reply as KvMethods['Execute']['reply']).result!;
  }

  private check(operation: string, problem: string | undefined, options: CallOptions | undefined) {
    if (this.closed)
      throw new InvalidArgumentError({ argument: 'this', message: 'the clerk was closed' });
    validateCallOptions(options);
    if (problem !== undefined)
      throw new InvalidArgumentError({ argument: operation, message: `${operation}: ${problem}` });
  }

  private nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  private async invoke<M extends keyof KvMethods & string>(
    method: M,
    args: KvMethods[M]['args'],
    options: CallOptions = {},
    operation: string,
    write: boolean,
  ): Promise<KvMethods[M]['reply']> {
    const deadline =
      options.timeoutMs === undefined
        ? Number.POSITIVE_INFINITY
        : this.clock.now() + options.timeoutMs;
    const stop = new CallStopper(this.clock, deadline, options.signal, operation, write);
    try {
      return await this.attempt(method, args, stop, operation);
    } finally {
      stop.cancel();
    }
  }

  private async attempt<M extends keyof KvMethods & string>(
    method: M,
    args: KvMethods[M]['args'],
    stop: CallStopper,
    operation: string,
  ): Promise<KvMethods[M]['reply']> {
    const n = this.servers.length;
    // Servers asked since the last pause; a full round without success pauses.
    let asked = 0;
    // A lost call to the remembered leader is retried there once before moving on:
    // on a lossy network the leader is usually still the leader.
    let retriedLeader = false;
    for (;;) {
      stop.throwIfStopped();
      const server = this.leader;
      const result = await stop.race(this.servers[server]!.call(method, args));
      if (result.ok) {
        const reply = result.reply as { err: KvErr; message?: string };
        if (reply.err === 'OK') return result.reply as KvMethods[M]['reply'];
        if (reply.err === 'ErrBadRequest')
          throw new KvBadRequestError({ message: reply.message ?? 'no reason given' });
        if (reply.err === 'ErrClientIdInUse')
          throw new ClientIdInUseError({ clientId: this.clientId, where: 'server' });
        if (!RETRY.has(reply.err))
          throw new KvRequestError({ err: reply.err, operation, message: reply.message });
      } else if (!retriedLeader && asked === 0) {
        retriedLeader = true;
        continue;
      }
      this.logger.log(`clerk-${this.clientId}`, 'retry', {
        method,
        server,
        err: result.ok ? (result.reply as { err: KvErr }).err : result.reason,
      });
      this.leader = (server + 1) % n;
      asked += 1;
      if (asked >= n) {
        asked = 0;
        await stop.race(this.clock.sleep(this.pauseMs));
      }
    }
  }
}

function randomId(rng: Rng): string {
  let id = '';
  for (let i = 0; i < 16; i++) id += rng.int(0, 35).toString(36);
  return id;
}
