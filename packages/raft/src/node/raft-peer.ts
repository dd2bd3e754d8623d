import {
  type ClientEnd,
  type Clock,
  InvalidArgumentError,
  type Logger,
  noopLogger,
  type Rng,
  type ServiceHandlers,
  type Timer,
} from '@raftkit/core';
import type { RaftStorage } from '@raftkit/core';
import { type RaftConfig, validateConfig } from '../config.js';
import { RaftCore, type Ready } from '../core/raft-core.js';
import { PeerKilledError } from '../errors/peer-killed-error.js';
import { ReadIndexDisabledError } from '../errors/read-index-disabled-error.js';
import { SnapshotIndexError } from '../errors/snapshot-index-error.js';
import type {
  ApplyMsg,
  OutMessage,
  RaftReply,
  RaftRequest,
  RaftState,
  ReadIndexResult,
  StartResult,
} from '../types.js';
import { Applier } from './applier.js';
import type { RaftMethods } from './service.js';

export interface RaftPeerOptions<C = unknown> extends Partial<RaftConfig> {
  /** One client end per peer, in the same order on every peer; `peers[me]` is this peer's own. */
  peers: readonly ClientEnd[];
  /** This peer's index in `peers`. */
  me: number;
  /** Durable state; read once here, then written in proportion to what changes. */
  storage: RaftStorage;
  /** Receives committed commands and installed snapshots in index order (see README, "Applies"). */
  apply: (msg: ApplyMsg<C>) => void;
  clock: Clock;
  /** Draws election timeouts; give each peer its own stream (e.g. `rng.fork('raft-2')`). */
  rng: Rng;
  logger?: Logger;
  /**
   * Deliver the persisted snapshot through `apply` before anything else on
   * start. Default false: as in the lab, the service reads
   * `storage.readSnapshot()` itself and Raft starts at the snapshot's index.
   */
  deliverSnapshotOnStart?: boolean;
  /** A `readIndex()` not confirmed within this many ms fails with 'timeout'. Default 2 × electionTimeoutMaxMs. */
  readIndexTimeoutMs?: number;
}

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
  private dead = false;
  private timer: Timer | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private broadcastTimer: Timer | undefined;
  /** The delay the armed broadcast timer was set with (ms). */
  private broadcastDelay = 0;
  private saving: Promise<void> | undefined;
  private readSeq = 0;
  private readonly pendingReads = new Map<
    number,
    { resolve: (r: ReadIndexResult) => void; timer: Timer }
  >();

  constructor(options: RaftPeerOptions<C>) {
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
      ...tuning
    } = options;
    if (!Array.isArray(peers) || peers.length === 0) {
      throw new InvalidArgumentError({
        argument: 'peers',
        message: 'peers must be a non-empty array of client ends (one per peer, itself included)',
      });
    }
    if (!Number.isInteger(me) || me < 0 || me >= peers.length) {
      throw new InvalidArgumentError({
        argument: 'me',
        message: `me must be an index into peers (0..${peers.length - 1}), got ${String(me)}`,
      });
    }
    if (typeof apply !== 'function') {
      throw new InvalidArgumentError({
        argument: 'apply',
        message: 'apply must be a function receiving ApplyMsg values',
      });
    }
    this.config = validateConfig(tuning);
    this.me = me;
    this.peers = peers;
    this.storage = storage;
    this.clock = clock;
    this.logger = logger ?? noopLogger;
    this.readTimeoutMs = readIndexTimeoutMs ?? 2 * this.config.electionTimeoutMaxMs;
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
    this.applier = new Applier<C>(clock, apply, state.snapshotMeta.index);
    if (deliverSnapshotOnStart && state.snapshotMeta.index > 0) {
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
    };
    this.armTimer();
  }

  /**
   * Proposes `command`. Returns at once: the index it will have if committed,
   * the current term, and whether this peer is leader (if not, nothing was
   * appended). Commands started in the same event go out in one AppendEntries.
   */
  start(command: C): StartResult {
    if (this.dead) throw new PeerKilledError({ method: 'start', me: this.me });
    const result = this.core.propose(command, this.clock.now());
    if (result.isLeader) this.scheduleBroadcast(0);
    return result;
  }

  /** Current term and whether this peer believes it is the leader. */
  getState(): RaftState {
    return { term: this.core.term, isLeader: !this.dead && this.core.isLeader() };
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
        commitIndex: this.core.commitIndex,
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
      this.core.requestRead(id, this.clock.now());
      this.flush();
    });
  }

  /** Stops the peer for good: it no longer sends, applies, persists or answers. Idempotent. */
  kill(): void {
    if (this.dead) return;
    this.dead = true;
    this.timer?.cancel();
    this.broadcastTimer?.cancel();
    this.applier.stop();
    for (const [, p] of this.pendingReads) {
      p.timer.cancel();
      p.resolve({ ok: false, reason: 'killed' });
    }
    this.pendingReads.clear();
    this.logger.log(`raft-${this.me}`, 'killed', { term: this.core.term });
  }

  get killed(): boolean {
    return this.dead;
  }

  /** A read-only view for tests, metrics and debugging. */
  status(): {
    role: string;
    term: number;
    leader: number;
    commitIndex: number;
    lastApplied: number;
    lastIndex: number;
    snapshotIndex: number;
  } {
    return {
      role: this.core.role.kind,
      term: this.core.term,
      leader: this.core.leaderId(),
      commitIndex: this.core.commitIndex,
      lastApplied: this.applier.lastDelivered,
      lastIndex: this.core.log.lastIndex(),
      snapshotIndex: this.core.log.snapshotIndex,
    };
  }

  // ---- driving the core ----------------------------------------------

  private handle(req: RaftRequest): RaftReply | Promise<RaftReply> {
    if (this.dead) return silence();
    const reply = this.core.handleRequest(req, this.clock.now());
    const pending = this.flush();
    if (pending === undefined) return reply;
    return pending.then(() => (this.dead ? silence<RaftReply>() : reply));
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
   * settle reads. Returns a promise only while an async save is pending.
   */
  private flush(): Promise<void> | undefined {
    if (this.saving !== undefined) return this.saving.then(() => this.flush());
    while (!this.dead && this.core.hasReady()) {
      const rd = this.core.ready();
      let pending: Promise<void> | undefined;
      for (const batch of rd.persist) {
        if (pending !== undefined) {
          pending = pending.then(() => this.storage.save(batch) ?? undefined);
        } else {
          const r = this.storage.save(batch);
          if (r !== undefined && typeof (r as Promise<void>).then === 'function')
            pending = r as Promise<void>;
        }
      }
      if (pending !== undefined) {
        // A leader replicates in parallel with its own disk write (thesis §10.2.1): its messages
        // carry only entries of its own term and a commit index that already counts a majority
        // of durable logs, and it counts its own log only at markStable, after the write. Any
        // other role waits: its messages (votes, campaign requests) depend on what it saves.
        const early = this.core.role.kind === 'leader';
        if (early) for (const msg of rd.messages) this.send(msg);
        this.saving = pending.then(() => {
          this.saving = undefined;
          if (this.dead) return;
          this.afterPersist(rd, early);
          this.flush();
        });
        return this.saving;
      }
      this.afterPersist(rd, false);
    }
    if (!this.dead && this.core.isLeader() && this.core.role.kind === 'leader') {
      const role = this.core.role;
      if (role.pendingBroadcast) this.scheduleBroadcast(0);
      else if (role.commitDirty) this.scheduleBroadcast(this.config.commitNotifyDelayMs);
    }
    this.armTimer();
    return undefined;
  }

  private afterPersist(rd: Ready<C>, sent: boolean): void {
    this.core.markStable(rd.stable, this.clock.now());
    if (!sent) for (const msg of rd.messages) this.send(msg);
    this.applier.enqueue(rd.apply);
    for (const { id, result } of rd.reads) {
      const p = this.pendingReads.get(id);
      if (p === undefined) continue;
      this.pendingReads.delete(id);
      p.timer.cancel();
      p.resolve(result);
    }
  }

  /** Coalesces: everything started in this event goes out together, in one event at the same time. */
  private scheduleBroadcast(delayMs: number): void {
    if (this.dead) return;
    if (this.broadcastTimer !== undefined) {
      if (this.broadcastDelay <= delayMs) return;
      this.broadcastTimer.cancel(); // new entries: go now, the commit news rides along
    }
    this.broadcastDelay = delayMs;
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
