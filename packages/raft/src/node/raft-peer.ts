import {
  type ClientEnd,
  type Clock,
  InvalidArgumentError,
  type Logger,
  noopLogger,
  type PersistBatch,
  type RaftStorage,
  type ServiceHandlers,
  type Timer,
} from '@raftkit/core';
import { type RaftConfig, validateConfig } from '../config.js';
import { RaftCore, type Ready } from '../core/raft-core.js';
import { PeerKilledError } from '../errors/peer-killed-error.js';
import { ReadIndexDisabledError } from '../errors/read-index-disabled-error.js';
import { SnapshotIndexError } from '../errors/snapshot-index-error.js';
import type {
  OutMessage,
  PeerId,
  RaftReply,
  RaftRequest,
  RaftState,
  RaftStatus,
  ReadIndexResult,
  SoftState,
  StartResult,
  TransferResult,
} from '../types.js';
import { Applier } from './applier.js';
import { type RaftPeerOptions, type StateChange, validatePeerOptions } from './options.js';
import { ReorderBuffer } from './reorder-buffer.js';
import type { RaftMethods } from './service.js';

/** Never settles: a killed peer does not answer. */
const silence = <T>() => new Promise<T>(() => {});

/**
 * A Raft peer: the pure `RaftCore` plus the clock, the client ends, the
 * storage and the apply sink. Register `handlers` (or `registerRaft`) on the
 * peer's RPC server. Methods never block on agreement.
 */
export class RaftPeer<C = unknown> {
  readonly me: number;
  readonly config: RaftConfig;
  /** Server-side handlers of the "Raft" service. */
  readonly handlers: ServiceHandlers<RaftMethods>;

  private readonly core: RaftCore<C>;
  private readonly peers: readonly ClientEnd[];
  private readonly storage: RaftStorage;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly applier: Applier<C>;
  private readonly readTimeoutMs: number;
  private readonly reorder: ReorderBuffer;
  private readonly listeners = new Set<(change: StateChange) => void>();
  private soft: SoftState;
  private dead = false;
  private timer: Timer | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private broadcastTimer: Timer | undefined;
  /** The delay (ms) the armed broadcast timer was set with. */
  private broadcastDelayMs = 0;
  /** Settles when the save in flight (and everything queued behind it) has settled. */
  private saving: Promise<void> | undefined;
  /** Storage saves called and not yet settled; `kill()` waits for them. */
  private savesInFlight = 0;
  private killWaiters: (() => void)[] = [];
  private readSeq = 0;
  private readonly pendingReads = new Map<
    number,
    { resolve: (r: ReadIndexResult) => void; timer: Timer }
  >();

  constructor(options: RaftPeerOptions<C>) {
    validatePeerOptions(options);
    const {
      peers,
      me,
      storage,
      apply,
      clock,
      rng,
      logger,
      deliverSnapshotOnStart,
      readIndexTimeoutMs,
      onStateChange,
      ...tuning
    } = options;
    this.config = validateConfig(tuning);
    this.me = me;
    this.peers = peers;
    this.storage = storage;
    this.clock = clock;
    this.logger = logger ?? noopLogger;
    this.readTimeoutMs = readIndexTimeoutMs ?? 2 * this.config.electionTimeoutMaxMs;
    if (onStateChange !== undefined) this.listeners.add(onStateChange);
    const state = storage.load();
    this.core = new RaftCore<C>({
      id: me,
      peers: peers.length,
      config: this.config,
      rng,
      state,
      logger: this.logger,
      now: clock.now(),
    });
    const s = this.core.status();
    this.soft = { role: s.role, leader: s.leader, term: s.term };
    this.applier = new Applier<C>(clock, apply, state.snapshotMeta.index);
    this.reorder = new ReorderBuffer(
      clock,
      2 * this.config.maxInflightAppends,
      this.config.staleAppendMs + this.config.heartbeatIntervalMs,
    );
    this.reorder.onDeadline = () => this.releaseHeld();
    if (deliverSnapshotOnStart === true && state.snapshotMeta.index > 0) {
      this.applier.lastDelivered = 0;
      this.applier.enqueue([
        {
          kind: 'snapshot',
          index: state.snapshotMeta.index,
          term: state.snapshotMeta.term,
          snapshot: state.snapshot,
        },
      ]);
    }
    const handle = (req: RaftRequest) => this.handle(req);
    this.handlers = {
      RequestVote: (args) => handle({ type: 'RequestVote', args }) as never,
      PreVote: (args) => handle({ type: 'PreVote', args }) as never,
      AppendEntries: (args) => handle({ type: 'AppendEntries', args }) as never,
      InstallSnapshot: (args) => handle({ type: 'InstallSnapshot', args }) as never,
      TimeoutNow: (args) => handle({ type: 'TimeoutNow', args }) as never,
    };
    this.armTimer();
  }

  /**
   * Proposes `command`. Returns at once: the index it will have if committed,
   * the current term, and whether this peer is leader (if not, nothing was
   * appended; a leader transferring its leadership answers not-leader too).
   * Commands started in the same event go out in one AppendEntries. After
   * `kill()` it answers not-leader.
   */
  start(command: C): StartResult {
    if (this.dead) return { index: -1, term: this.soft.term, isLeader: false };
    const result = this.core.propose(command, this.clock.now());
    if (result.isLeader) this.scheduleBroadcast(0);
    return result;
  }

  /** Current term and whether this peer believes it is the leader. */
  getState(): RaftState {
    const s = this.core.status();
    return { term: s.term, isLeader: !this.dead && s.role === 'leader' };
  }

  /**
   * Observes role, leader and term changes: `listener` is called after each
   * change has been persisted, in order, until the returned function is
   * called or the peer is killed. This is the stable observation API (the
   * logger's event names are not).
   */
  subscribe(listener: (change: StateChange) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * The service has a snapshot of every entry up to and including `index`
   * (which it has received through `apply`). Raft drops that log prefix and
   * persists `data` with it. May be called from inside the apply sink.
   */
  snapshot(index: number, data: Uint8Array): void {
    if (this.dead) throw new PeerKilledError({ method: 'snapshot', me: this.me });
    if (!(data instanceof Uint8Array)) {
      throw new InvalidArgumentError({
        argument: 'data',
        message: 'snapshot data must be a Uint8Array',
      });
    }
    if (!Number.isInteger(index) || index < 1 || index > this.applier.lastDelivered) {
      throw new SnapshotIndexError({
        index,
        applied: this.applier.lastDelivered,
        commitIndex: this.core.status().commitIndex,
      });
    }
    this.core.snapshot(index, data, this.clock.now());
    this.flush();
  }

  /**
   * Linearizable read point (ReadIndex, thesis §6.4). Resolves with an index
   * once a majority confirmed this peer is still leader; the service answers
   * the read after it has applied up to that index. Needs `readIndex: true`.
   */
  readIndex(): Promise<ReadIndexResult> {
    if (!this.config.readIndex) throw new ReadIndexDisabledError();
    if (this.dead) return Promise.resolve({ ok: false, reason: 'killed' });
    const id = ++this.readSeq;
    return new Promise<ReadIndexResult>((resolve) => {
      const timer = this.clock.setTimer(this.readTimeoutMs, () => {
        if (!this.pendingReads.delete(id)) return;
        this.core.cancelRead(id);
        resolve({ ok: false, reason: 'timeout' });
      });
      this.pendingReads.set(id, { resolve, timer });
      this.core.readIndex(id, this.clock.now());
      this.flush();
    });
  }

  /**
   * Moves leadership to peer `to` (thesis §3.10): this leader stops accepting
   * proposals, brings `to` up to date and tells it to campaign at once.
   * Resolves `{ ok: true }` once this peer learns that `to` leads, or fails
   * with 'timeout' (not done within an election timeout; the leader then
   * accepts proposals again), 'superseded' (another peer leads), 'not-leader',
   * 'invalid-target' or 'killed'.
   */
  transferLeadership(to: PeerId): Promise<TransferResult> {
    if (this.dead) return Promise.resolve({ ok: false, reason: 'killed' });
    const refused = this.core.transferLeadership(to, this.clock.now());
    if (refused !== undefined) return Promise.resolve({ ok: false, reason: refused });
    return new Promise<TransferResult>((resolve) => {
      let done = false;
      const finish = (result: TransferResult) => {
        if (done) return;
        done = true;
        unsubscribe();
        timer.cancel();
        resolve(result);
      };
      const unsubscribe = this.subscribe(({ current }) => {
        if (current.leader === to) finish({ ok: true, term: current.term });
        else if (current.leader !== -1 && current.leader !== this.me)
          finish({ ok: false, reason: 'superseded' });
      });
      const timer = this.clock.setTimer(this.config.electionTimeoutMaxMs + 1, () => {
        if (this.dead) finish({ ok: false, reason: 'killed' });
        else if (this.soft.leader === to) finish({ ok: true, term: this.soft.term });
        else if (this.soft.role === 'leader') finish({ ok: false, reason: 'timeout' });
        // Deposed, new leader not known yet: give the election one more timeout.
        else
          this.clock.setTimer(this.config.electionTimeoutMaxMs, () =>
            finish(
              this.soft.leader === to
                ? { ok: true, term: this.soft.term }
                : { ok: false, reason: this.dead ? 'killed' : 'timeout' },
            ),
          );
      });
      this.flush();
    });
  }

  /**
   * Stops the peer for good: from now on it makes no storage call, sends
   * nothing, applies nothing, answers nothing, and every timer or save result
   * that arrives later is ignored. Resolves when the save in flight (if any)
   * has settled, after which the storage may be reopened. Idempotent.
   */
  kill(): Promise<void> {
    if (!this.dead) {
      this.dead = true;
      this.timer?.cancel();
      this.broadcastTimer?.cancel();
      this.applier.stop();
      this.reorder.clear();
      this.listeners.clear();
      for (const [, p] of this.pendingReads) {
        p.timer.cancel();
        p.resolve({ ok: false, reason: 'killed' });
      }
      this.pendingReads.clear();
      this.logger.log(`raft-${this.me}`, 'killed', { term: this.soft.term });
    }
    if (this.savesInFlight === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.killWaiters.push(resolve));
  }

  get killed(): boolean {
    return this.dead;
  }

  /** A read-only view for tests, metrics and debugging. */
  status(): RaftStatus {
    const status = this.core.status(); // a fresh copy: this fills in the node's own apply point
    status.lastApplied = this.applier.lastDelivered;
    return status;
  }

  // ---- driving the core ----------------------------------------------

  /** An incoming request; `held` when it comes back from the reorder buffer (never held twice). */
  private handle(req: RaftRequest, held = false): RaftReply | Promise<RaftReply> {
    if (this.dead) return silence();
    if (!held && req.type === 'AppendEntries' && this.shouldHold(req)) {
      return new Promise<RaftReply>((resolve) => {
        this.reorder.hold(req.args, () => {
          if (this.dead) return;
          const reply = this.handle(req, true);
          if (reply instanceof Promise) reply.then(resolve);
          else resolve(reply);
        });
      });
    }
    const reply = this.core.step({ type: 'request', req }, this.clock.now())!;
    const pending = this.flush();
    if (this.reorder.size > 0) this.releaseHeld();
    if (pending === undefined) return reply;
    return pending.then(() => (this.dead ? silence<RaftReply>() : reply));
  }

  /** An append of the current leader that would leave a gap: its predecessors are presumably on their way. */
  private shouldHold(req: Extract<RaftRequest, { type: 'AppendEntries' }>): boolean {
    const s = this.core.status();
    return (
      req.args.entries.length > 0 &&
      req.args.term === s.term &&
      s.role === 'follower' &&
      s.leader === req.args.leaderId &&
      req.args.prevLogIndex > s.lastIndex &&
      this.reorder.hasRoom()
    );
  }

  private releaseHeld(): void {
    if (this.dead) return;
    this.reorder.releaseReady(() => this.core.status().lastIndex, this.core.status().term);
  }

  private send(msg: OutMessage): void {
    const end = this.peers[msg.to]!;
    end.call(`Raft.${msg.req.type}`, msg.req.args).then((result) => {
      if (this.dead) return;
      const now = this.clock.now();
      if (result.ok)
        this.core.step(
          { type: 'reply', from: msg.to, req: msg.req, reply: result.reply as RaftReply },
          now,
        );
      else this.core.step({ type: 'unreachable', to: msg.to, req: msg.req }, now);
      this.flush();
    });
  }

  /**
   * Drains the core's Ready: persist (awaiting an async save before anything
   * that depends on it), then send, then hand applies to the applier, then
   * settle reads, then notify observers. Returns a promise only while an async
   * save is pending. Never touches the storage after `kill()`.
   */
  private flush(): Promise<void> | undefined {
    if (this.saving !== undefined) return this.saving.then(() => this.flush());
    while (!this.dead && this.core.hasReady()) {
      const rd = this.core.ready();
      let pending: Promise<void> | undefined;
      // A leader replicates in parallel with its own disk write (thesis §10.2.1): its messages
      // carry entries of its own term and a commit index counted over durable logs only, and it
      // counts its own log at `advance`, after the write. They leave before the save is even
      // dispatched (encoding the WAL record is on no follower's path). Every other role waits:
      // what it sends (votes, campaigns, acknowledgements) promises what it is saving.
      const sentEarly = rd.persist.length > 0 && this.core.isLeader();
      if (sentEarly) for (const msg of rd.messages) this.send(msg);
      for (const batch of rd.persist) {
        if (pending !== undefined) {
          pending = pending.then(() => (this.dead ? undefined : this.save(batch)));
        } else {
          pending = this.save(batch);
        }
      }
      if (pending !== undefined) {
        this.saving = pending.then(() => {
          this.saving = undefined;
          if (this.dead) return;
          this.afterPersist(rd, sentEarly);
          this.flush();
        });
        return this.saving;
      }
      this.afterPersist(rd, sentEarly);
    }
    const due = this.dead ? 'none' : this.core.broadcastDue();
    if (due === 'entries') this.scheduleBroadcast(0);
    else if (due === 'commit') this.scheduleBroadcast(this.config.commitNotifyDelayMs);
    this.armTimer();
    return undefined;
  }

  /** One storage call, counted while in flight (see `kill`). Returns a promise only for an async save. */
  private save(batch: PersistBatch): Promise<void> | undefined {
    this.savesInFlight += 1;
    let result: void | Promise<void>;
    try {
      result = this.storage.save(batch);
    } catch (error) {
      this.saveSettled();
      throw error;
    }
    if (result === undefined || typeof (result as Promise<void>).then !== 'function') {
      this.saveSettled();
      return undefined;
    }
    const settled = () => this.saveSettled();
    (result as Promise<void>).then(settled, settled);
    return result as Promise<void>;
  }

  private saveSettled(): void {
    this.savesInFlight -= 1;
    if (this.savesInFlight === 0) {
      const waiters = this.killWaiters;
      this.killWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** `sentEarly`: the messages already left (a leader's, before its save completed). */
  private afterPersist(rd: Ready<C>, sentEarly: boolean): void {
    this.core.advance(rd, this.clock.now());
    if (!sentEarly) for (const msg of rd.messages) this.send(msg);
    this.applier.enqueue(rd.apply);
    for (const { id, result } of rd.reads) {
      const p = this.pendingReads.get(id);
      if (p === undefined) continue;
      this.pendingReads.delete(id);
      p.timer.cancel();
      p.resolve(result);
    }
    if (rd.softState !== undefined) {
      const change = { previous: this.soft, current: rd.softState };
      this.soft = rd.softState;
      for (const listener of [...this.listeners]) {
        if (this.dead) break;
        listener(change);
      }
    }
  }

  /**
   * Coalesces: everything started in this event goes out together, in one event at the same time.
   * A broadcast armed with a longer delay (commit news only) is brought forward by new entries.
   */
  private scheduleBroadcast(delayMs: number): void {
    if (this.dead) return;
    if (this.broadcastTimer !== undefined) {
      if (this.broadcastDelayMs <= delayMs) return;
      this.broadcastTimer.cancel();
    }
    this.broadcastDelayMs = delayMs;
    this.broadcastTimer = this.clock.setTimer(delayMs, () => {
      this.broadcastTimer = undefined;
      if (this.dead) return;
      this.core.broadcast(this.clock.now());
      this.flush();
    });
  }

  private armTimer(): void {
    if (this.dead) return;
    const at = this.core.nextDeadline();
    if (this.timer !== undefined && this.timerAt <= at) return; // fires early, then re-arms
    this.timer?.cancel();
    this.timerAt = at;
    this.timer = this.clock.setTimer(Math.max(0, at - this.clock.now()), () => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      if (this.dead) return;
      this.core.tick(this.clock.now());
      this.flush();
    });
  }
}

/** Creates a peer; same as `new RaftPeer(options)`. */
export function createRaftPeer<C = unknown>(options: RaftPeerOptions<C>): RaftPeer<C> {
  return new RaftPeer<C>(options);
}
