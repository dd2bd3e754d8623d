import type { Logger, Rng } from '@raftkit/core';
import type { PersistBatch, PersistedState } from '@raftkit/core';
import type { RaftConfig } from '../config.js';
import type {
  AppendEntriesReply,
  ApplyMsg,
  InstallSnapshotReply,
  OutMessage,
  PeerId,
  RaftReply,
  RaftRequest,
  ReadIndexResult,
  RequestVoteReply,
  StartResult,
} from '../types.js';
import { handleVoteRequest, resetElectionTimer } from './election.js';
import { RaftLog } from './log.js';
import { PersistQueue } from './persistence.js';
import { type PendingRead, requestRead } from './read-index.js';
import { handleAppendEntries } from './replication.js';
import type { Role } from './role.js';
import { compactLog, handleInstallSnapshot } from './snapshot.js';
import { stepCandidate } from './step-candidate.js';
import { stepFollower } from './step-follower.js';
import { broadcastPending, maybeCommit, stepLeader } from './step-leader.js';
import { testBug } from './test-bugs.js';

/**
 * Everything the node must do after feeding the core, in this order:
 * 1. save every `persist` batch (awaiting each if it returns a promise);
 * 2. call `markStable(stable)` so the leader may count its own log;
 * 3. send `messages`;
 * 4. hand `apply` to the service, in order (a snapshot first, then commands);
 * 5. settle the `reads`.
 */
export interface Ready<C = unknown> {
  persist: PersistBatch[];
  stable: { index: number; term: number };
  messages: OutMessage[];
  apply: ApplyMsg<C>[];
  reads: { id: number; result: ReadIndexResult }[];
}

/** Something that happened to a request the core asked to send. */
export type CoreEvent =
  | { type: 'tick' }
  | { type: 'reply'; from: PeerId; req: RaftRequest; reply: RaftReply }
  | { type: 'unreachable'; to: PeerId; req: RaftRequest };

export interface RaftCoreOptions {
  id: PeerId;
  /** Number of peers, this one included. */
  peers: number;
  config: RaftConfig;
  /** Draws election timeouts. */
  rng: Rng;
  /** What the storage held at start. */
  state: PersistedState;
  logger?: Logger;
  /** Time (ms) of creation: the first election deadline is drawn from it. */
  now: number;
}

/**
 * The Raft protocol as a pure synchronous state machine (no timers, no I/O).
 * Inputs: `tick`, `handleRequest` (an incoming RPC, answered synchronously),
 * `step` (a reply or a lost call), `propose`, `snapshot`, `requestRead`,
 * `markStable`. Every input takes the current time in ms. Outputs accumulate
 * until `ready()` takes them. Role logic lives in step-*.ts, election.ts,
 * replication.ts, snapshot.ts and read-index.ts; this class holds the state.
 */
export class RaftCore<C = unknown> {
  readonly id: PeerId;
  readonly n: number;
  readonly config: RaftConfig;
  readonly rng: Rng;
  readonly logger: Logger | undefined;

  /** Persistent (Figure 2): latest term seen and vote in it (-1 none). */
  term: number;
  votedFor: number;
  readonly log: RaftLog<C>;
  /** The service snapshot covering log.snapshotIndex (kept in memory to send to followers). */
  snapshotData: Uint8Array;

  /** Volatile: highest index known committed. Invariant: log.snapshotIndex ≤ appliedTo ≤ commitIndex. */
  commitIndex: number;
  /** Highest index handed to the node for applying (not necessarily delivered yet). */
  appliedTo: number;
  role: Role;
  /** When (ms) a follower or candidate next campaigns. */
  electionDeadline = 0;
  /** Campaigns begun since a leader was last heard from (stretches the election timeout). */
  failedCampaigns = 0;
  /** When (ms) this peer last heard from a current leader. */
  lastLeaderContact = Number.NEGATIVE_INFINITY;
  now: number;

  readonly persistQueue = new PersistQueue();
  outbox: OutMessage[] = [];
  snapshotToApply: { index: number; term: number; data: Uint8Array } | undefined;
  reads: PendingRead[] = [];
  readResults: { id: number; result: ReadIndexResult }[] = [];

  constructor(options: RaftCoreOptions) {
    this.id = options.id;
    this.n = options.peers;
    this.config = options.config;
    this.rng = options.rng;
    this.logger = options.logger?.enabled ? options.logger : undefined;
    this.now = options.now;
    const s = options.state;
    this.term = s.hardState.term;
    this.votedFor = s.hardState.votedFor;
    this.log = new RaftLog<C>(
      s.snapshotMeta.index,
      s.snapshotMeta.term,
      s.entries as RaftLog<C>['entries'],
    );
    this.snapshotData = s.snapshot;
    this.commitIndex = s.snapshotMeta.index;
    this.appliedTo = s.snapshotMeta.index;
    this.role = { kind: 'follower', leader: -1 };
    resetElectionTimer(this);
  }

  // ---- inputs ----------------------------------------------------------

  /** Time passed: campaign, send heartbeats, check quorum, as due. */
  tick(now: number): void {
    this.step({ type: 'tick' }, now);
  }

  step(event: CoreEvent, now: number): void {
    this.now = now;
    switch (this.role.kind) {
      case 'follower':
        stepFollower(this, event);
        break;
      case 'precandidate':
      case 'candidate':
        stepCandidate(this, event);
        break;
      case 'leader':
        stepLeader(this, event);
        break;
    }
  }

  /** An incoming RPC. The reply must not leave before this step's `ready().persist` is saved. */
  handleRequest(req: RaftRequest, now: number): RaftReply {
    this.now = now;
    switch (req.type) {
      case 'RequestVote':
        return handleVoteRequest(this, req.args, false) satisfies RequestVoteReply;
      case 'PreVote':
        return handleVoteRequest(this, req.args, true) satisfies RequestVoteReply;
      case 'AppendEntries':
        return handleAppendEntries(this, req.args) satisfies AppendEntriesReply;
      case 'InstallSnapshot':
        return handleInstallSnapshot(this, req.args) satisfies InstallSnapshotReply;
    }
  }

  /** Appends `command` if leader. Entries go out on the next `broadcast()` (coalescing). */
  propose(command: C, now: number): StartResult {
    this.now = now;
    if (this.role.kind !== 'leader') return { index: -1, term: this.term, isLeader: false };
    const index = this.log.lastIndex() + 1;
    const entry = { term: this.term, command };
    this.log.append([entry]);
    this.persistQueue.append(index, [entry]);
    this.role.pendingBroadcast = true;
    return { index, term: this.term, isLeader: true };
  }

  /** Sends entries proposed since the last call, and commit updates, to followers that can take them. */
  broadcast(now: number): void {
    this.now = now;
    if (this.role.kind === 'leader') broadcastPending(this, this.role);
  }

  /** The service's snapshot of everything up to `index` (≤ appliedTo; older than the current one is ignored). */
  snapshot(index: number, data: Uint8Array, now: number): void {
    this.now = now;
    compactLog(this, index, data);
  }

  /** Starts a ReadIndex request; its result appears in `ready().reads` under `id`. */
  requestRead(id: number, now: number): void {
    this.now = now;
    requestRead(this, id);
  }

  /** Forgets a pending read (the node timed it out). */
  cancelRead(id: number): void {
    this.reads = this.reads.filter((r) => r.id !== id);
  }

  /** The log up to `stable.index` (in `stable.term`) is durable: the leader may count itself. */
  markStable(stable: { index: number; term: number }, now: number): void {
    this.now = now;
    if (this.role.kind !== 'leader' || stable.term !== this.term) return;
    const self = this.role.progress[this.id]!;
    if (self.maybeUpdate(Math.min(stable.index, this.log.lastIndex())))
      maybeCommit(this, this.role);
  }

  // ---- outputs ---------------------------------------------------------

  hasReady(): boolean {
    return (
      !this.persistQueue.empty ||
      this.outbox.length > 0 ||
      this.snapshotToApply !== undefined ||
      this.appliedTo < this.commitIndex ||
      this.readResults.length > 0
    );
  }

  ready(): Ready<C> {
    const apply: ApplyMsg<C>[] = [];
    if (this.snapshotToApply !== undefined) {
      const s = this.snapshotToApply;
      apply.push({ kind: 'snapshot', index: s.index, term: s.term, snapshot: s.data });
      this.snapshotToApply = undefined;
    }
    if (this.appliedTo < this.commitIndex) {
      const first = this.appliedTo + 1;
      const entries = this.log.slice(first, this.commitIndex);
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i]!;
        apply.push({ kind: 'command', index: first + i, term: e.term, command: e.command });
      }
      this.appliedTo = this.commitIndex;
    }
    const rd: Ready<C> = {
      persist: this.persistQueue.take(),
      stable: { index: this.log.lastIndex(), term: this.term },
      messages: this.outbox,
      apply,
      reads: this.readResults,
    };
    this.outbox = [];
    this.readResults = [];
    return rd;
  }

  /** The earliest time (ms) at which `tick` has something to do. */
  nextDeadline(): number {
    if (this.role.kind === 'leader') {
      return this.config.checkQuorum
        ? Math.min(this.role.heartbeatDue, this.role.quorumCheckDue)
        : this.role.heartbeatDue;
    }
    return this.electionDeadline;
  }

  // ---- helpers for the role modules -----------------------------------

  setHardState(term: number, votedFor: number): void {
    if (term === this.term && votedFor === this.votedFor) return;
    this.term = term;
    this.votedFor = votedFor;
    this.persistQueue.hardState({ term, votedFor: testBug === 'forget-vote' ? -1 : votedFor });
  }

  send(to: PeerId, req: RaftRequest): void {
    this.outbox.push({ to, req });
  }

  isLeader(): boolean {
    return this.role.kind === 'leader';
  }

  /** The leader this peer currently follows (itself when leader), or -1. */
  leaderId(): PeerId {
    if (this.role.kind === 'leader') return this.id;
    return this.role.kind === 'follower' ? this.role.leader : -1;
  }

  /** Whether a current leader was heard from within the minimum election timeout (thesis §4.2.3). */
  inLeaderLease(): boolean {
    if (this.role.kind === 'leader') return true;
    return (
      this.role.kind === 'follower' &&
      this.role.leader !== -1 &&
      this.now - this.lastLeaderContact < this.config.electionTimeoutMinMs
    );
  }

  trace(ev: string, fields?: Record<string, unknown>): void {
    this.logger?.log(`raft-${this.id}`, ev, { term: this.term, ...fields });
  }
}
