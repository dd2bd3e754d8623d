import {
  type Clock,
  type Logger,
  noopLogger,
  type Rng,
  type RpcServer,
  serviceClient,
  type Timer,
} from '@raftkit/core';
import type { RaftStorage } from '@raftkit/core';
import {
  etcdProblem,
  type ExecuteArgs,
  type ExecuteReply,
  executeProblem,
  type GetArgs,
  type GetReply,
  isReadOnly,
  isSerializable,
  type KvErr,
  type KvMember,
  type KvRequest,
  type KvStatus,
  kvService,
  type PutAppendArgs,
  type PutAppendReply,
  type RequestLimits,
  requestProblem,
} from '@raftkit/kv-protocol';
import { type ApplyMsg, RaftPeer, registerRaft } from '@raftkit/raft';
import { ApplyWaiters, type WaitOutcome } from './apply-waiters.js';
import { decodeCommand, encodeCommand, fingerprint, type KvCommand } from './command.js';
import { LeaseKeeper } from './lease-keeper.js';
import { clusterIdOf, defaultMembers } from './members.js';
import { type KvServerOptions, validateOptions } from './options.js';
import { KvStateMachine } from './state-machine.js';
import { applyRequest } from './store/apply-request.js';
import { binFromWire, binToText } from './store/bin.js';
import { requestToBin, resultToWire } from './store/convert.js';
import type { BinRequest } from './store/types.js';

export type { KvServerOptions } from './options.js';

/** Fraction of maxRaftState at which the server snapshots. */
const SNAPSHOT_THRESHOLD = 0.8;

/**
 * A linearizable key/value server replicated with Raft, with etcd's data
 * model (revisions, ranges, deletes, txns, leases). Every write goes through
 * the log and executes when its entry applies, exactly once per clerk
 * request; reads use ReadIndex (or the log), or the local replica when
 * `serializable`. It snapshots its store and duplicate table when the Raft
 * state nears `maxRaftState`.
 */
export class KvServer {
  readonly raft: RaftPeer;
  /** The group's members (for status and the member list); `members[me]` is this server. */
  readonly members: readonly KvMember[];
  readonly clusterId: string;
  readonly me: number;
  private readonly state: KvStateMachine;
  private readonly waiters = new ApplyWaiters();
  private readonly clock: Clock;
  private readonly rng: Rng;
  private readonly logger: Logger;
  private readonly src: string;
  private readonly persister: RaftStorage;
  private readonly peers: KvServerOptions['peers'];
  private readonly maxRaftState: number;
  private readonly getMode: 'read-index' | 'log';
  private readonly timeoutMs: number;
  private readonly limits: RequestLimits;
  private readonly leases: LeaseKeeper;
  private lastApplied = 0;
  private snapshotIndex = 0;
  /** One timer, armed at the earliest deadline of a waiting request (none while nothing waits). */
  private deadlineTimer: Timer | undefined;
  private deadlineAt = Number.POSITIVE_INFINITY;
  private dead = false;

  constructor(options: KvServerOptions) {
    validateOptions(options);
    this.clock = options.clock;
    this.rng = options.rng;
    this.me = options.me;
    this.logger = options.logger ?? noopLogger;
    this.src = `kv-${options.me}`;
    this.persister = options.persister;
    this.peers = options.peers;
    this.maxRaftState = options.maxRaftState;
    this.getMode = options.getMode ?? 'read-index';
    this.timeoutMs = options.requestTimeoutMs ?? 1000;
    this.limits = {
      maxKeyBytes: options.maxKeyBytes ?? 4096,
      maxValueBytes: options.maxValueBytes ?? 1 << 20,
    };
    this.members = options.members ?? defaultMembers(options.peers.length);
    this.clusterId = clusterIdOf(this.members);
    this.state = new KvStateMachine(options.retainRevisions ?? 0);
    this.lastApplied = this.state.restore(options.persister.readSnapshot());
    this.snapshotIndex = this.lastApplied;
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
    this.leases = new LeaseKeeper({
      clock: this.clock,
      leases: () => this.state.kv.leases,
      raftState: () => this.raft.getState(),
      revoke: (id) => {
        void this.execute({ clientId: '', seq: 0, request: { op: 'leaseRevoke', id } });
      },
    });
    this.leases.poke();
  }

  /** Registers the "KVServer" and "Raft" services on `server`. */
  register(server: RpcServer): void {
    server.addService(kvService, {
      Get: (args) => this.get(args),
      Put: (args) => this.putAppend('put', args),
      Append: (args) => this.putAppend('append', args),
      Execute: (args) => this.execute(args),
      Status: () => ({ status: this.status() }),
    });
    registerRaft(server, this.raft);
  }

  /** Stops the server and its Raft peer; waiting requests answer ErrKilled. */
  kill(): void {
    if (this.dead) return;
    this.dead = true;
    void this.raft.kill();
    this.leases.stop();
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

  /** The request limits this server enforces. */
  get requestLimits(): Readonly<RequestLimits> {
    return this.limits;
  }

  /** This server's view of itself: applied index, revision, key count, store hash, … */
  status(): KvStatus {
    const raft = this.raft.status();
    const leader = this.dead ? -1 : raft.leader;
    return {
      me: this.me,
      memberId: this.members[this.me]!.id,
      clusterId: this.clusterId,
      leader,
      leaderId: leader >= 0 ? this.members[leader]!.id : '0',
      term: raft.term,
      appliedIndex: this.lastApplied,
      commitIndex: raft.commitIndex,
      lastIndex: raft.lastIndex,
      snapshotIndex: this.snapshotIndex,
      revision: this.state.kv.revision,
      compactRevision: this.state.kv.firstRevision(),
      keyCount: this.state.kv.liveKeys,
      storeHash: this.state.hash(),
      snapshotBytes: this.persister.snapshotSize(),
      storageBytes: this.persister.snapshotSize() + this.persister.raftStateSize(),
      clients: this.state.clientCount,
    };
  }

  /**
   * A digest of the replicated store as of `appliedIndex` (the first 48 bits
   * of `status().storeHash`): replicas at the same applied index must have
   * equal digests. For tests and diagnostics; O(size of the store).
   */
  stateDigest(): number {
    return Number.parseInt(this.state.hash().slice(0, 12), 16);
  }

  async get(args: GetArgs): Promise<GetReply> {
    const problem = requestProblem(args, false, this.limits);
    if (problem !== undefined) return { err: 'ErrBadRequest', value: '', message: problem };
    if (this.dead) return { err: 'ErrKilled', value: '' };
    const key = binFromWire(args.key);
    let value: string | undefined;
    if (this.getMode === 'log') {
      const outcome = await this.replicate({
        kind: 'get',
        clientId: args.clientId,
        seq: args.seq,
        key,
      });
      if (outcome.err !== 'OK') return { err: outcome.err, value: '' };
      value = outcome.value;
    } else {
      const err = await this.awaitReadIndex();
      if (err !== 'OK') return { err, value: '' };
      value = this.state.get(key);
    }
    if (value === undefined) return { err: 'OK', value: '' };
    const text = binToText(value);
    if (text === undefined)
      return {
        err: 'ErrNotText',
        value: '',
        message: 'the value is not UTF-8: read it as bytes with Execute/range',
      };
    return { err: 'OK', value: text };
  }

  async putAppend(kind: 'put' | 'append', args: PutAppendArgs): Promise<PutAppendReply> {
    const problem = requestProblem(args, true, this.limits);
    if (problem !== undefined) return { err: 'ErrBadRequest', message: problem };
    if (this.dead) return { err: 'ErrKilled' };
    const command: KvCommand = {
      kind,
      clientId: args.clientId,
      seq: args.seq,
      key: binFromWire(args.key),
      value: binFromWire(args.value),
    };
    const verdict = this.state.dedup(args.clientId, args.seq, fingerprint(command));
    // A retry of a write this replica has applied: it committed, so answer as it did.
    if (verdict.kind === 'done') return { err: verdict.reply.err };
    if (verdict.kind === 'in-use') return { err: 'ErrClientIdInUse' };
    if (!this.raft.getState().isLeader) return { err: 'ErrWrongLeader' };
    const outcome = await this.replicate(command);
    return { err: outcome.err };
  }

  /** Any etcd-model request (the `Execute` RPC; also how gateways forward to the leader). */
  async execute(args: ExecuteArgs): Promise<ExecuteReply> {
    const answer = await this.executeHere(args);
    return answer.err === 'OK' ? { ...answer, appliedIndex: this.lastApplied } : answer;
  }

  private async executeHere(args: ExecuteArgs): Promise<ExecuteReply> {
    const problem = executeProblem(args, this.limits);
    if (problem !== undefined) return { err: 'ErrBadRequest', message: problem };
    const etcd = etcdProblem(args.request);
    if (etcd !== undefined) return { err: etcd };
    if (this.dead) return { err: 'ErrKilled' };
    const request = requestToBin(args.request);
    if (isReadOnly(args.request)) return this.read(args, request);
    if (request.op === 'leaseGrant' && request.id === 0) {
      // The leader picks the id; the log carries it, so every replica agrees.
      request.id = this.rng.int(1, 2 ** 52);
    }
    const command = commandFor(args.clientId, args.seq, request);
    if (args.clientId !== '') {
      const verdict = this.state.dedup(args.clientId, args.seq, fingerprint(command));
      if (verdict.kind === 'done') return reply(verdict.reply);
      if (verdict.kind === 'in-use') return { err: 'ErrClientIdInUse' };
    }
    if (!this.raft.getState().isLeader) return { err: 'ErrWrongLeader' };
    return reply(await this.replicate(command));
  }

  /**
   * Runs `request` where it can be answered: a serializable read here, the
   * rest here when this server leads, else on the leader through `Execute`
   * over the group's transport (the same ends Raft uses). With no known
   * leader it answers ErrNoLeader at once. Used by the HTTP gateway.
   */
  async route(request: KvRequest): Promise<ExecuteReply> {
    const args: ExecuteArgs = { clientId: '', seq: 0, request };
    if (this.dead) return { err: 'ErrKilled' };
    if (isSerializable(request)) return this.execute(args);
    const leader = this.raft.status().leader;
    if (leader < 0 || leader >= this.peers.length) return { err: 'ErrNoLeader' };
    if (leader === this.me) return this.execute(args);
    const result = await serviceClient(this.peers[leader]!, kvService).call('Execute', args);
    // A lost forward: the write may or may not have applied, as with any timed-out request.
    if (!result.ok) return { err: 'ErrTimeout' };
    const { appliedIndex, ...answer } = result.reply;
    if (
      answer.err === 'OK' &&
      typeof appliedIndex === 'number' &&
      appliedIndex > this.lastApplied
    ) {
      const outcome = await this.waitApplied(appliedIndex);
      if (outcome !== undefined) return { err: outcome.err };
    }
    return answer;
  }

  /** Waits (up to the request timeout) until this replica has applied `index`. */
  private waitApplied(index: number): Promise<WaitOutcome | undefined> {
    const wait = this.waiters.waitForApplied(index, this.clock.now() + this.timeoutMs);
    this.armDeadline();
    return wait;
  }

  private async read(args: ExecuteArgs, request: BinRequest): Promise<ExecuteReply> {
    if (this.getMode === 'log' && !isSerializable(args.request)) {
      return reply(await this.replicate({ kind: 'exec', clientId: '', seq: 0, request }));
    }
    if (!isSerializable(args.request)) {
      const err = await this.awaitReadIndex();
      if (err !== 'OK') return { err };
    }
    // A read-only request changes nothing, so it may run on the local store outside the log.
    return reply(applyRequest(this.state.kv, request));
  }

  /** Starts `command` and waits until it applies or is known lost. */
  private replicate(command: KvCommand): Promise<WaitOutcome> {
    const started = this.raft.start(encodeCommand(command));
    if (!started.isLeader) return Promise.resolve({ err: 'ErrWrongLeader' });
    const write =
      command.kind !== 'get' && command.kind !== 'noop' && command.clientId !== ''
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
      this.snapshotIndex = msg.index;
      this.logger.log(this.src, 'install-snapshot', { index: msg.index });
      this.waiters.snapshotInstalled(msg.index, (clientId, seq) =>
        this.state.executedReply(clientId, seq),
      );
      this.leases.poke();
      return;
    }
    if (msg.index <= this.lastApplied) return;
    this.lastApplied = msg.index;
    if (msg.kind === 'noop') {
      this.waiters.applied(msg.index, msg.term, { err: 'OK', value: '' });
      return;
    }
    const command = decodeCommand(msg.command);
    const outcome = command === undefined ? { err: 'OK' as const } : this.state.apply(command);
    this.waiters.applied(msg.index, msg.term, outcome);
    if (command?.kind === 'exec' && command.request.op === 'leaseGrant') this.leases.poke();
    this.maybeSnapshot(msg.index);
  }

  private maybeSnapshot(index: number): void {
    if (this.maxRaftState < 0) return;
    if (this.persister.raftStateSize() < this.maxRaftState * SNAPSHOT_THRESHOLD) return;
    this.raft.snapshot(index, this.state.snapshot(index));
    this.snapshotIndex = index;
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

const PLAIN_PUT = new Set(['op', 'key', 'value']);

/** The log entry for a request: plain puts and appends use the lab's short tuples. */
function commandFor(clientId: string, seq: number, request: BinRequest): KvCommand {
  if (request.op === 'append')
    return { kind: 'append', clientId, seq, key: request.key, value: request.value };
  if (request.op === 'put' && Object.keys(request).every((k) => PLAIN_PUT.has(k))) {
    return { kind: 'put', clientId, seq, key: request.key, value: request.value ?? '' };
  }
  return { kind: 'exec', clientId, seq, request };
}

function reply(
  outcome: WaitOutcome | { err: KvErr; result?: WaitOutcome['result'] },
): ExecuteReply {
  if (outcome.err !== 'OK') return { err: outcome.err };
  if (outcome.result === undefined) return { err: 'ErrWrongLeader' };
  return { err: 'OK', result: resultToWire(outcome.result) };
}
