import { type ClientEnd, type Logger, type RaftStorage, RpcServer } from '@raftkit/core';
import { SimNetwork, type SimNetworkOptions, Simulation } from '@raftkit/labrpc';
import { MemoryPersister } from '@raftkit/persister';
import type { RaftPeerOptions } from '../node/options.js';
import { RaftPeer } from '../node/raft-peer.js';
import { registerRaft } from '../node/service.js';
import type { ApplyMsg, PeerId } from '../types.js';
import { SimWiring } from './sim-wiring.js';

/**
 * Opens the storage of one incarnation of peer `i`. `previous` is the storage
 * the last incarnation used (undefined at the first start); it has been
 * killed, and its `kill()` promise has settled if the caller awaited `crash`.
 */
export type StorageFactory = (i: number, previous: RaftStorage | undefined) => RaftStorage;

/** The default: an in-memory persister, copied at every restart (the lab's crash copy). */
export const memoryStorage: StorageFactory = (_i, previous) =>
  previous instanceof MemoryPersister ? previous.copy() : new MemoryPersister();

/** Peer options the cluster does not set itself. */
export type SimPeerOptions<C> = Omit<
  Partial<RaftPeerOptions<C>>,
  'peers' | 'me' | 'storage' | 'apply' | 'clock' | 'rng'
>;

export interface SimRaftClusterOptions<C = unknown> {
  /** Number of peers. */
  n: number;
  /** The simulation to run in; default a new one with `seed`. */
  sim?: Simulation;
  /** Seed of the new simulation when `sim` is not given. Default 1. */
  seed?: number | string;
  /** Options of every peer (tunables, logger…); `peerOptions(i)` overrides per peer. */
  raft?: SimPeerOptions<C>;
  peerOptions?: (i: PeerId) => SimPeerOptions<C>;
  /** Storage of each incarnation; default `memoryStorage`. Plug a disk persister in here. */
  storage?: StorageFactory;
  /** Options of the simulated network (latency, drop rates, codec). */
  network?: SimNetworkOptions;
  /** Start with an unreliable network (drops, delays). Default false. */
  unreliable?: boolean;
  /** Calls on a cut link take long to fail (the lab's long delays). Default false. */
  longDelays?: boolean;
  /** Whether the peers start linked to each other. Default true. */
  connected?: boolean;
  /** Called for every message a live peer applies, after the cluster recorded it. */
  onApply?: (i: PeerId, msg: ApplyMsg<C>, peer: RaftPeer<C>) => void;
  /** Called before each incarnation of peer i is created, with its storage. */
  beforeStart?: (i: PeerId, storage: RaftStorage) => void;
  /** Decorates each client end a peer uses (to count or filter calls). */
  wrapEnd?: (from: PeerId, to: PeerId, end: ClientEnd) => ClientEnd;
}

/**
 * A simulated Raft cluster with crash, restart, partition and unreliable
 * controls: the wiring every Raft test needs, once (hashicorp's MakeCluster).
 * Each peer is a real `RaftPeer` on a `SimNetwork`; time is virtual and a run
 * is a function of its seed.
 */
export class SimRaftCluster<C = unknown> {
  readonly sim: Simulation;
  readonly net: SimNetwork;
  readonly wiring: SimWiring;
  readonly n: number;
  /** peers[i]: the live incarnation of peer i, undefined while crashed. */
  readonly peers: (RaftPeer<C> | undefined)[];
  /** applied[i]: what the current incarnation of peer i applied, in order. */
  readonly applied: ApplyMsg<C>[][];
  private readonly storages: (RaftStorage | undefined)[];
  private readonly incarnations: number[];
  private readonly options: SimRaftClusterOptions<C>;
  private readonly storageFactory: StorageFactory;

  constructor(options: SimRaftClusterOptions<C>) {
    this.options = options;
    this.n = options.n;
    this.sim = options.sim ?? new Simulation({ seed: options.seed ?? 1 });
    this.net = new SimNetwork(this.sim, options.network);
    this.net.setReliable(!(options.unreliable ?? false));
    this.net.setLongDelays(options.longDelays ?? false);
    this.wiring = new SimWiring(this.net, this.n, { connected: options.connected ?? true });
    this.storageFactory = options.storage ?? memoryStorage;
    this.peers = new Array(this.n).fill(undefined);
    this.applied = Array.from({ length: this.n }, () => []);
    this.storages = new Array(this.n).fill(undefined);
    this.incarnations = new Array(this.n).fill(0);
    for (let i = 0; i < this.n; i++) this.start(i);
  }

  get now(): number {
    return this.sim.clock.now();
  }

  sleep(ms: number): Promise<void> {
    return this.sim.clock.sleep(ms);
  }

  /** [0, 1, …, n-1]. */
  all(): PeerId[] {
    return Array.from({ length: this.n }, (_, i) => i);
  }

  /** The live peer i; throws while it is crashed. */
  peer(i: PeerId): RaftPeer<C> {
    const p = this.peers[i];
    if (p === undefined) throw new Error(`raft peer ${i} is crashed; restart it first`);
    return p;
  }

  /** The storage of peer i's current (or last) incarnation. */
  storage(i: PeerId): RaftStorage {
    const s = this.storages[i];
    if (s === undefined) throw new Error(`raft peer ${i} has no storage yet`);
    return s;
  }

  /** The commands the current incarnation of peer i applied, in order. */
  commands(i: PeerId): C[] {
    return this.applied[i]!.flatMap((m) => (m.kind === 'command' ? [m.command] : []));
  }

  /**
   * Starts a new incarnation of peer i over `storage(i, previous)`, with fresh
   * ends; crashes the running one first. Its links are as they were.
   * `onApply` (besides the cluster-wide one) sees this incarnation's applies.
   */
  start(i: PeerId, onApply?: (peer: RaftPeer<C>, msg: ApplyMsg<C>) => void): RaftPeer<C> {
    if (this.peers[i] !== undefined) void this.crash(i);
    const incarnation = ++this.incarnations[i]!;
    const storage = this.storageFactory(i, this.storages[i]);
    this.storages[i] = storage;
    this.applied[i] = [];
    this.options.beforeStart?.(i, storage);
    const ends = this.wiring.makeEnds(i, this.options.wrapEnd);
    const applied = this.applied[i]!;
    const peer: RaftPeer<C> = new RaftPeer<C>({
      logger: this.sim.logger as Logger,
      ...this.options.raft,
      ...this.options.peerOptions?.(i),
      peers: ends,
      me: i,
      storage,
      clock: this.sim.clock,
      rng: this.sim.rng.fork(`raft-${i}-${incarnation}`),
      apply: (msg) => {
        if (this.peers[i] !== peer) return;
        applied.push(msg);
        this.options.onApply?.(i, msg, peer);
        onApply?.(peer, msg);
      },
    });
    const server = new RpcServer();
    registerRaft(server, peer);
    this.wiring.addServer(i, server);
    this.peers[i] = peer;
    this.sim.trace('cluster', 'start', { i, incarnation });
    return peer;
  }

  /** Restarts peer i (crash, then start); `onApply` sees this incarnation's applies. */
  restart(i: PeerId, onApply?: (peer: RaftPeer<C>, msg: ApplyMsg<C>) => void): RaftPeer<C> {
    return this.start(i, onApply);
  }

  /**
   * Crashes peer i: its server leaves the network (calls to it are lost) and
   * the peer is killed. Resolves when its in-flight save has settled, after
   * which its storage may be reopened.
   */
  crash(i: PeerId): Promise<void> {
    const peer = this.peers[i];
    if (peer === undefined) return Promise.resolve();
    this.wiring.removeServer(i);
    this.peers[i] = undefined;
    this.sim.trace('cluster', 'crash', { i });
    return Promise.resolve(peer.kill());
  }

  connect(i: PeerId): void {
    this.wiring.connect(i);
  }

  disconnect(i: PeerId): void {
    this.wiring.disconnect(i);
  }

  /** Peers in the same group can talk; groups cannot. */
  partition(...groups: readonly (readonly PeerId[])[]): void {
    this.wiring.partition(...groups);
  }

  heal(): void {
    this.wiring.heal();
  }

  setUnreliable(unreliable: boolean): void {
    this.net.setReliable(!unreliable);
  }

  setLongDelays(on: boolean): void {
    this.net.setLongDelays(on);
  }

  setLongReordering(on: boolean): void {
    this.net.setLongReordering(on);
  }

  /** Live peers of `among` that believe they lead. */
  leaders(among: readonly PeerId[] = this.all()): PeerId[] {
    return among.filter((i) => this.peers[i]?.getState().isLeader === true);
  }

  /** Waits until `cond()` holds, checking every `stepMs` of virtual time; throws after `limitMs`. */
  async waitUntil(cond: () => boolean, limitMs: number, what: string, stepMs = 10): Promise<void> {
    const t0 = this.now;
    while (!cond()) {
      if (this.now - t0 >= limitMs)
        throw new Error(`timed out after ${limitMs} ms waiting for ${what}`);
      await this.sleep(stepMs);
    }
  }

  /** Waits until exactly one peer of `among` leads (and its term is the highest); returns it. */
  async waitLeader(among: readonly PeerId[] = this.all(), limitMs = 5000): Promise<PeerId> {
    let leader = -1;
    await this.waitUntil(
      () => {
        const l = this.leaders(among);
        leader = l.length === 1 ? l[0]! : -1;
        return leader !== -1;
      },
      limitMs,
      `a single leader among ${among.join(',')}`,
      50,
    );
    return leader;
  }

  /** Waits until every peer of `among` has applied index `index`. */
  async waitApplied(index: number, among: readonly PeerId[] = this.all(), limitMs = 10_000) {
    await this.waitUntil(
      () => among.every((i) => (this.peers[i]?.status().lastApplied ?? -1) >= index),
      limitMs,
      `peers ${among.join(',')} to apply index ${index}`,
    );
  }

  /** RPCs dispatched to peer i's current incarnation. */
  rpcCount(i: PeerId): number {
    return this.wiring.rpcCount(i);
  }

  /** Runs `scenario` in the simulation, then shuts the cluster down (also on failure). */
  run<T>(scenario: () => Promise<T>, maxVirtualMs = 120_000): Promise<T> {
    return this.sim.run(
      async () => {
        try {
          return await scenario();
        } finally {
          this.shutdown();
        }
      },
      { maxVirtualMs },
    );
  }

  /** Kills every peer and closes the network. */
  shutdown(): void {
    for (let i = 0; i < this.n; i++) {
      const p = this.peers[i];
      if (p !== undefined) void p.kill();
      this.peers[i] = undefined;
    }
    this.net.cleanup();
  }
}

/** Builds a simulated Raft cluster; see `SimRaftCluster`. */
export function simRaftCluster<C = unknown>(options: SimRaftClusterOptions<C>): SimRaftCluster<C> {
  return new SimRaftCluster<C>(options);
}
