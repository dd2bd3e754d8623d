import type { Logger, PersistedState, Rng } from '@raftkit/core';
import type { RaftConfig } from '../config.js';
import type { ApplyMsg, OutMessage, PeerId, RaftRequest, SoftState } from '../types.js';
import { RaftLog } from './log.js';
import { isNoopCommand as isNoop } from './noop.js';
import { PersistQueue } from './persistence.js';
import { ReadQueue } from './reads.js';
import type { Role } from './role.js';
import { testBug } from './test-bugs.js';

export interface CoreStateOptions {
  id: PeerId;
  /** Number of peers, this one included. */
  peers: number;
  config: RaftConfig;
  /** Draws election timeouts. */
  rng: Rng;
  /** What the storage held at start. */
  state: PersistedState;
  logger?: Logger;
  /** Time (ms) of creation. */
  now: number;
}

/**
 * Everything one Raft peer knows (Figure 2's state, plus the bookkeeping of
 * the extensions), and the outputs accumulated for the next `Ready`. Only the
 * core's own modules touch it; users see the façade (`RaftCore`).
 */
export class CoreState<C = unknown> {
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
  /** Highest index handed out in `Ready.apply`. */
  appliedTo: number;
  role: Role;
  /** When (ms) a follower or candidate next campaigns. */
  electionDeadline = 0;
  /** Campaigns begun since a leader was last heard from (stretches the election timeout). */
  failedCampaigns = 0;
  /** When (ms) this peer last heard from a current leader. */
  lastLeaderContact = Number.NEGATIVE_INFINITY;
  /** The current input's time (ms). */
  now: number;

  readonly persistQueue = new PersistQueue();
  outbox: OutMessage[] = [];
  snapshotToApply: { index: number; term: number; data: Uint8Array } | undefined;
  readonly reads: ReadQueue;
  /** The soft state last reported in a Ready. */
  reportedSoft: SoftState;

  constructor(options: CoreStateOptions) {
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
    this.reads = new ReadQueue(this.n);
    this.reportedSoft = this.softState();
  }

  /** Changes term and vote; the change is persisted before anything that depends on it leaves. */
  setHardState(term: number, votedFor: number): void {
    if (term === this.term && votedFor === this.votedFor) return;
    this.term = term;
    this.votedFor = votedFor;
    this.persistQueue.hardState({ term, votedFor: testBug === 'forget-vote' ? -1 : votedFor });
  }

  send(to: PeerId, req: RaftRequest): void {
    this.outbox.push({ to, req });
  }

  /** The leader this peer currently follows (itself when leader), or -1. */
  leaderId(): PeerId {
    if (this.role.kind === 'leader') return this.id;
    return this.role.kind === 'follower' ? this.role.leader : -1;
  }

  softState(): SoftState {
    return { role: this.role.kind, leader: this.leaderId(), term: this.term };
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

  /** Committed entries not yet handed out, as apply messages (a pending snapshot first). */
  takeApply(): ApplyMsg<C>[] {
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
        apply.push(
          isNoop(e.command)
            ? { kind: 'noop', index: first + i, term: e.term }
            : { kind: 'command', index: first + i, term: e.term, command: e.command },
        );
      }
      this.appliedTo = this.commitIndex;
    }
    return apply;
  }

  trace(ev: string, fields?: Record<string, unknown>): void {
    this.logger?.log(`raft-${this.id}`, ev, { term: this.term, ...fields });
  }
}
