import {
  type ClientEnd,
  type Clock,
  InvalidArgumentError,
  type Logger,
  noopLogger,
  type Rng,
  type RpcServer,
  type Timer,
} from '@raftkit/core';
import type { RaftStorage } from '@raftkit/core';
import { type ApplyMsg, type RaftConfig, RaftPeer, registerRaft } from '@raftkit/raft';
import { ApplyWaiters, type WaitOutcome } from './apply-waiters.js';
import { decodeCommand, encodeCommand, type KvCommand } from './command.js';
import {
  type GetArgs,
  type GetReply,
  type KvErr,
  kvService,
  type PutAppendArgs,
  type PutAppendReply,
} from '@raftkit/kv-protocol';
import { KvStateMachine } from './state-machine.js';
import { type RequestLimits, requestProblem } from '@raftkit/kv-protocol';

export interface KvServerOptions {
  /** Ends to every server of the group, including this one; the same order on every server. */
  peers: readonly ClientEnd[];
  /** This server's index in `peers`. */
  me: number;
  persister: RaftStorage;
  /** Snapshot when the persisted Raft state nears this many bytes; -1 never snapshots. */
  maxRaftState: number;
  clock: Clock;
  rng: Rng;
  logger?: Logger;
  /**
   * How Gets are served: 'read-index' (default) confirms leadership with a
   * heartbeat round and reads once the state machine reaches the commit
   * index, without a log write; 'log' puts every Get in the log, as the lab does.
   */
  getMode?: 'read-index' | 'log';
  /** A request that has not committed after this many ms answers ErrTimeout. Default 1000. */
  requestTimeoutMs?: number;
  /** Longest key accepted, in characters. Default 4096. */
  maxKeyLength?: number;
  /** Longest value accepted, in characters. Default 1 048 576. */
  maxValueLength?: number;
  /** Raft tunables; ReadIndex is always enabled. */
  raft?: Partial<RaftConfig>;
}

/** Fraction of maxRaftState at which the server snapshots. */
const SNAPSHOT_THRESHOLD = 0.8;

/**
 * A linearizable key/value server replicated with Raft. Every write goes
 * through the log and executes when its entry applies, exactly once per
 * clerk request; Gets use ReadIndex (or the log). It snapshots its store and
 * duplicate table when the Raft state nears `maxRaftState`.
 */
export class KvServer {
  readonly raft: RaftPeer;
  private readonly state = new KvStateMachine();
  private readonly waiters = new ApplyWaiters();
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly src: string;
  private readonly persister: RaftStorage;
  private readonly maxRaftState: number;
  private readonly getMode: 'read-index' | 'log';
  private readonly timeoutMs: number;
  private readonly limits: RequestLimits;
  private lastApplied = 0;
  /** One timer, armed at the earliest deadline of a waiting request (none while nothing waits). */
  private deadlineTimer: Timer | undefined;
  private deadlineAt = Number.POSITIVE_INFINITY;
  private dead = false;

  constructor(options: KvServerOptions) {
    validateOptions(options);
    this.clock = options.clock;
    this.logger = options.logger ?? noopLogger;
    this.src = `kv-${options.me}`;
    this.persister = options.persister;
    this.maxRaftState = options.maxRaftState;
    this.getMode = options.getMode ?? 'read-index';
    this.timeoutMs = options.requestTimeoutMs ?? 1000;
    this.limits = {
      maxKeyLength: options.maxKeyLength ?? 4096,
      maxValueLength: options.maxValueLength ?? 1 << 20,
    };
    this.lastApplied = this.state.restore(options.persister.readSnapshot());
    this.raft = new RaftPeer({
      ...options.raft,
      readIndex: true,
      peers: options.peers,
      me: options.me,
      storage: options.persister,
      apply: (msg) => this.onApply(msg),
      clock: options.clock,
      rng: options.rng,
      logger: this.logger,
      // Lost leadership or a new term fails the waiting requests at once: Raft notifies, nobody polls.
      onStateChange: ({ current }) =>
        this.waiters.termChanged(current.term, current.role === 'leader'),
    });
  }

  /** Registers the "KVServer" and "Raft" services on `server`. */
  register(server: RpcServer): void {
    server.addService(kvService, {
      Get: (args) => this.get(args),
      Put: (args) => this.putAppend('put', args),
      Append: (args) => this.putAppend('append', args),
    });
    registerRaft(server, this.raft);
  }

  /** Stops the server and its Raft peer; waiting requests answer ErrKilled. */
  kill(): void {
    if (this.dead) return;
    this.dead = true;
    void this.raft.kill();
    this.deadlineTimer?.cancel();
    this.deadlineTimer = undefined;
    this.waiters.failAll('ErrKilled');
  }

  get killed(): boolean {
    return this.dead;
  }

  /** Index of the last entry applied to the store. */
  get appliedIndex(): number {
    return this.lastApplied;
  }

  async get(args: GetArgs): Promise<GetReply> {
    const problem = requestProblem(args, false, this.limits);
    if (problem !== undefined) return { err: 'ErrBadRequest', value: '', message: problem };
    if (this.dead) return { err: 'ErrKilled', value: '' };
    if (this.getMode === 'log') {
      const outcome = await this.replicate({
        kind: 'get',
        clientId: args.clientId,
        seq: args.seq,
        key: args.key,
      });
      return { err: outcome.err, value: outcome.err === 'OK' ? outcome.value : '' };
    }
    const err = await this.awaitReadIndex();
    if (err !== 'OK') return { err, value: '' };
    return { err: 'OK', value: this.state.get(args.key) };
  }

  async putAppend(kind: 'put' | 'append', args: PutAppendArgs): Promise<PutAppendReply> {
    const problem = requestProblem(args, true, this.limits);
    if (problem !== undefined) return { err: 'ErrBadRequest', message: problem };
    if (this.dead) return { err: 'ErrKilled' };
    // A retry of a write this replica has applied: it committed, so it succeeded.
    if (this.state.isExecuted(args.clientId, args.seq)) return { err: 'OK' };
    if (!this.raft.getState().isLeader) return { err: 'ErrWrongLeader' };
    const outcome = await this.replicate({
      kind,
      clientId: args.clientId,
      seq: args.seq,
      key: args.key,
      value: args.value,
    });
    return { err: outcome.err };
  }

  /** Starts `command` and waits until it applies or is known lost. */
  private replicate(command: KvCommand): Promise<WaitOutcome> {
    const started = this.raft.start(encodeCommand(command));
    if (!started.isLeader) return Promise.resolve({ err: 'ErrWrongLeader', value: '' });
    const write =
      command.kind === 'put' || command.kind === 'append'
        ? { clientId: command.clientId, seq: command.seq }
        : undefined;
    const wait = this.waiters.waitForEntry(
      started.index,
      started.term,
      this.clock.now() + this.timeoutMs,
      write,
    );
    this.armDeadline();
    return wait;
  }

  /** Waits until a read at this moment may be served from the local state. */
  private async awaitReadIndex(): Promise<KvErr> {
    const deadline = this.clock.now() + this.timeoutMs;
    for (let attempt = 0; attempt < 2; attempt++) {
      const read = await this.raft.readIndex();
      if (this.dead) return 'ErrKilled';
      if (read.ok) {
        if (read.index <= this.lastApplied) return 'OK';
        const wait = this.waiters.waitForApplied(read.index, deadline);
        this.armDeadline();
        const outcome = await wait;
        return outcome === undefined ? 'OK' : outcome.err;
      }
      if (read.reason !== 'leader-not-ready')
        return read.reason === 'killed'
          ? 'ErrKilled'
          : read.reason === 'timeout'
            ? 'ErrTimeout'
            : 'ErrWrongLeader';
      // A new leader must commit an entry of its own term before it can serve reads.
      const noop = await this.replicate({ kind: 'noop' });
      if (noop.err !== 'OK') return noop.err;
    }
    return 'ErrTimeout';
  }

  private onApply(msg: ApplyMsg): void {
    if (this.dead) return;
    if (msg.kind === 'snapshot') {
      if (msg.index <= this.lastApplied) return;
      this.state.restore(msg.snapshot);
      this.lastApplied = msg.index;
      this.logger.log(this.src, 'install-snapshot', { index: msg.index });
      this.waiters.snapshotInstalled(msg.index, (clientId, seq) =>
        this.state.isExecuted(clientId, seq),
      );
      return;
    }
    if (msg.index <= this.lastApplied) return;
    this.lastApplied = msg.index;
    if (msg.kind === 'noop') {
      this.waiters.applied(msg.index, msg.term, { err: 'OK', value: '' });
      return;
    }
    const command = decodeCommand(msg.command);
    const outcome =
      command === undefined ? { value: '', duplicate: false } : this.state.apply(command);
    this.waiters.applied(msg.index, msg.term, { err: 'OK', value: outcome.value });
    this.maybeSnapshot(msg.index);
  }

  private maybeSnapshot(index: number): void {
    if (this.maxRaftState < 0) return;
    if (this.persister.raftStateSize() < this.maxRaftState * SNAPSHOT_THRESHOLD) return;
    this.raft.snapshot(index, this.state.snapshot(index));
    this.logger.log(this.src, 'snapshot', { index, raftStateSize: this.persister.raftStateSize() });
  }

  /** Arms the one deadline timer at the earliest deadline of a waiting request. */
  private armDeadline(): void {
    if (this.dead) return;
    const at = this.waiters.nextDeadline();
    if (at >= this.deadlineAt) return;
    this.deadlineTimer?.cancel();
    this.deadlineAt = at;
    this.deadlineTimer = this.clock.setTimer(Math.max(0, at - this.clock.now()), () => {
      this.deadlineTimer = undefined;
      this.deadlineAt = Number.POSITIVE_INFINITY;
      if (this.dead) return;
      this.waiters.expire(this.clock.now());
      if (this.waiters.size > 0) this.armDeadline();
    });
  }
}

function validateOptions(options: KvServerOptions): void {
  if (!Array.isArray(options.peers) || options.peers.length === 0) {
    throw new InvalidArgumentError({
      argument: 'peers',
      message: 'peers must be a non-empty array of client ends',
    });
  }
  if (!Number.isInteger(options.me) || options.me < 0 || options.me >= options.peers.length) {
    throw new InvalidArgumentError({
      argument: 'me',
      message: `me must be an index into peers (0..${options.peers.length - 1}), got ${options.me}`,
    });
  }
  if (
    !Number.isInteger(options.maxRaftState) ||
    (options.maxRaftState < 1 && options.maxRaftState !== -1)
  ) {
    throw new InvalidArgumentError({
      argument: 'maxRaftState',
      message: `maxRaftState must be a positive number of bytes or -1 (never snapshot), got ${options.maxRaftState}`,
    });
  }
  if (
    options.getMode !== undefined &&
    options.getMode !== 'read-index' &&
    options.getMode !== 'log'
  ) {
    throw new InvalidArgumentError({
      argument: 'getMode',
      message: `getMode must be 'read-index' or 'log', got ${String(options.getMode)}`,
    });
  }
  if (options.requestTimeoutMs !== undefined && !(options.requestTimeoutMs > 0)) {
    throw new InvalidArgumentError({
      argument: 'requestTimeoutMs',
      message: 'requestTimeoutMs must be > 0',
    });
  }
}
