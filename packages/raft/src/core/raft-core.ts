import type { Logger, PersistBatch, PersistedState, Rng } from '@raftkit/core';
import type { RaftConfig } from '../config.js';
import {
  type ApplyMsg,
  type OutMessage,
  type PeerId,
  type RaftReply,
  type RaftStatus,
  type ReadIndexResult,
  type SoftState,
  type StartResult,
  senderOf,
} from '../types.js';
import { campaign } from './become.js';
import { broadcastHeartbeat, broadcastPending } from './broadcast.js';
import { maybeCommit } from './commit.js';
import { compactLog } from './compact.js';
import { resetElectionTimer } from './election-timer.js';
import type { CoreInput } from './input.js';
import { requestRead } from './read-request.js';
import { refusal } from './refusal.js';
import { CoreState } from './state.js';
import { stepCandidate } from './step-candidate.js';
import { stepFollower } from './step-follower.js';
import { stepLeader } from './step-leader.js';
import { startTransfer } from './transfer.js';

/**
 * Everything the node must do after feeding the core, in this order:
 * 1. save every `persist` batch (awaiting each if it returns a promise);
 * 2. call `advance(ready)` so the leader may count its own log;
 * 3. send `messages`;
 * 4. hand `apply` to the service, in order (a snapshot first, then commands);
 * 5. settle the `reads`;
 * 6. report `softState` (present only when role, leader or term changed).
 */
export interface Ready<C = unknown> {
  softState?: SoftState;
  persist: PersistBatch[];
  stable: { index: number; term: number };
  messages: OutMessage[];
  apply: ApplyMsg<C>[];
  reads: { id: number; result: ReadIndexResult }[];
}

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

export type { CoreInput } from './input.js';

/** Why `transferLeadership` could not start. */
export type TransferRefusal = 'not-leader' | 'invalid-target';

/**
 * The Raft protocol as a pure synchronous state machine (no timers, no I/O):
 * the façade over the layered modules of src/core. Inputs: `tick`, `step`
 * (a request, a reply, a lost call), `propose`, `readIndex`, `snapshot`,
 * `transferLeadership`; each takes the current time in ms. Outputs accumulate
 * until `ready()` takes them; `advance()` acknowledges what was persisted.
 * The protocol state itself is not reachable: `status()` is a copy.
 */
export class RaftCore<C = unknown> {
  readonly #s: CoreState<C>;

  constructor(options: RaftCoreOptions) {
    this.#s = new CoreState<C>(options);
    resetElectionTimer(this.#s);
  }

  /** This peer's id. */
  get id(): PeerId {
    return this.#s.id;
  }

  /** Time passed: campaign, send heartbeats, check quorum, as due. */
  tick(now: number): void {
    this.step({ type: 'tick' }, now);
  }

  /**
   * Feeds one input. For a `request`, returns the reply, which must not leave
   * before this step's `ready().persist` is saved. A request that claims to
   * come from this peer itself, or from no peer of the cluster, is refused
   * without effect (and logged): two peers configured with one id would
   * otherwise elect two leaders in one term.
   */
  step(input: CoreInput, now: number): RaftReply | undefined {
    const r = this.#s;
    r.now = now;
    if (input.type === 'request') {
      const from = senderOf(input.req);
      if (from === r.id || !Number.isInteger(from) || from < 0 || from >= r.n) {
        r.trace('reject-sender', { from, type: input.req.type });
        r.logger?.log(`raft-${r.id}`, 'error', {
          message: `refused a ${input.req.type} claiming to come from peer ${from}: ${from === r.id ? 'that is this peer’s own id; are two peers configured with the same `me`?' : 'no such peer'}`,
        });
        return refusal(input.req, r.term);
      }
    }
    let reply: RaftReply | undefined;
    switch (r.role.kind) {
      case 'follower':
        reply = stepFollower(r, input);
        break;
      case 'precandidate':
      case 'candidate':
        reply = stepCandidate(r, input);
        break;
      case 'leader':
        reply = stepLeader(r, input);
        break;
    }
    this.#afterInput();
    return reply;
  }

  /**
   * Starts an election now, as if the election timeout had passed (etcd's
   * MsgHup): through a pre-vote when enabled. Ignored by a leader. For tests
   * and operators; ticks do this on their own.
   */
  campaign(now: number): void {
    const r = this.#s;
    r.now = now;
    if (r.role.kind === 'leader') return;
    campaign(r);
    this.#afterInput();
  }

  /** Appends `command` if leader (and not transferring). Entries go out on the next `broadcast()` (coalescing). */
  propose(command: C, now: number): StartResult {
    const r = this.#s;
    r.now = now;
    if (r.role.kind !== 'leader' || r.role.transfer !== undefined)
      return { index: -1, term: r.term, isLeader: false };
    const index = r.log.lastIndex() + 1;
    const entry = { term: r.term, command };
    r.log.append([entry]);
    r.persistQueue.append(index, [entry]);
    r.role.pendingBroadcast = true;
    return { index, term: r.term, isLeader: true };
  }

  /** Whether proposals or a commit update wait for `broadcast()`. */
  /** Whether this peer is the leader of its term (cheap: no status object). */
  isLeader(): boolean {
    return this.#s.role.kind === 'leader';
  }

  wantsBroadcast(): boolean {
    return this.broadcastDue() !== 'none';
  }

  /**
   * What a `broadcast` would send: new entries (`'entries'`, send soon), only a
   * higher commit index (`'commit'`, may wait for the next entries to carry
   * it), or nothing (`'none'`, also on any role but leader).
   */
  broadcastDue(): 'entries' | 'commit' | 'none' {
    const role = this.#s.role;
    if (role.kind !== 'leader') return 'none';
    if (role.pendingBroadcast) return 'entries';
    return role.commitDirty ? 'commit' : 'none';
  }

  /** Sends entries proposed since the last call, and commit updates, to followers that can take them. */
  broadcast(now: number): void {
    const r = this.#s;
    r.now = now;
    if (r.role.kind === 'leader') broadcastPending(r, r.role);
  }

  /** The service's snapshot of everything up to `index` (≤ what was applied; older than the current one is ignored). */
  snapshot(index: number, data: Uint8Array, now: number): void {
    this.#s.now = now;
    compactLog(this.#s, index, data);
  }

  /** Starts a ReadIndex request; its result appears in `ready().reads` under `id`. */
  readIndex(id: number, now: number): void {
    this.#s.now = now;
    requestRead(this.#s, id);
    this.#afterInput();
  }

  /** Forgets a pending read (the node timed it out). */
  cancelRead(id: number): void {
    this.#s.reads.cancel(id);
  }

  /**
   * Leader transfer (thesis §3.10): stop accepting proposals, bring `to` up to
   * date, send it TimeoutNow. Abandoned after an election timeout.
   */
  transferLeadership(to: PeerId, now: number): TransferRefusal | undefined {
    const r = this.#s;
    r.now = now;
    if (r.role.kind !== 'leader') return 'not-leader';
    if (!Number.isInteger(to) || to < 0 || to >= r.n || to === r.id) return 'invalid-target';
    startTransfer(r, r.role, to);
    return undefined;
  }

  /** Whether `ready()` has anything. */
  hasReady(): boolean {
    const r = this.#s;
    return (
      !r.persistQueue.empty ||
      r.outbox.length > 0 ||
      r.snapshotToApply !== undefined ||
      r.appliedTo < r.commitIndex ||
      r.reads.results.length > 0 ||
      softChanged(r.reportedSoft, r.softState())
    );
  }

  /** Takes the accumulated outputs (see `Ready` for the order in which to act on them). */
  ready(): Ready<C> {
    const r = this.#s;
    const rd: Ready<C> = {
      persist: r.persistQueue.take(),
      stable: { index: r.log.lastIndex(), term: r.term },
      messages: r.outbox,
      apply: r.takeApply(),
      reads: r.reads.take(),
    };
    r.outbox = [];
    const soft = r.softState();
    if (softChanged(r.reportedSoft, soft)) {
      rd.softState = soft;
      r.reportedSoft = soft;
    }
    return rd;
  }

  /** `rd.persist` is durable: the leader may count its own log up to `rd.stable`. */
  advance(rd: Pick<Ready<C>, 'stable'>, now: number): void {
    const r = this.#s;
    r.now = now;
    const { stable } = rd;
    if (r.role.kind !== 'leader' || stable.term !== r.term) return;
    const self = r.role.progress[r.id]!;
    if (self.maybeUpdate(Math.min(stable.index, r.log.lastIndex()))) maybeCommit(r, r.role);
  }

  /** The earliest time (ms) at which `tick` has something to do. */
  nextDeadline(): number {
    const r = this.#s;
    if (r.role.kind === 'leader') {
      let at = r.role.heartbeatDue;
      if (r.config.checkQuorum) at = Math.min(at, r.role.quorumCheckDue);
      if (r.role.transfer !== undefined) at = Math.min(at, r.role.transfer.deadline);
      return at;
    }
    return r.electionDeadline;
  }

  /**
   * A copy of the protocol state. Built field by field: an object spread followed by more fields
   * takes V8's slow path (about 5 µs and an old-space allocation per call, measured), and the
   * node calls this for every request.
   */
  status(): RaftStatus {
    const r = this.#s;
    return {
      role: r.role.kind,
      leader: r.leaderId(),
      term: r.term,
      commitIndex: r.commitIndex,
      lastApplied: r.appliedTo,
      lastIndex: r.log.lastIndex(),
      lastTerm: r.log.lastTerm(),
      snapshotIndex: r.log.snapshotIndex,
      votedFor: r.votedFor,
      transferee: r.role.kind === 'leader' ? (r.role.transfer?.to ?? -1) : -1,
    };
  }

  /** The term of the entry at `index`, when the log holds it (tests, debugging). */
  termAt(index: number): number | undefined {
    return this.#s.log.term(index);
  }

  /** A new leader's first heartbeat is due at once: it goes out at the end of the input that elected it. */
  #afterInput(): void {
    const r = this.#s;
    if (r.role.kind === 'leader' && r.now >= r.role.heartbeatDue) broadcastHeartbeat(r, r.role);
  }
}

function softChanged(a: SoftState, b: SoftState): boolean {
  return a.role !== b.role || a.leader !== b.leader || a.term !== b.term;
}
