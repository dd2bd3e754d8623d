import { type ClientEnd, type Clock, RpcServer } from '@raftkit/core';
import { type NetworkFaults, SimNetwork, type Simulation } from '@raftkit/labrpc';
import type { RaftPeer } from '@raftkit/raft';
import type { SwarmParams } from './params.js';
import { SwarmDiskStorage } from './disk-storage.js';
import { type PeerStorage, type StorageObserver, SwarmStorage } from './storage.js';

/** What a node factory builds for one incarnation of server `i`. */
export interface SwarmNode {
  raft: RaftPeer;
  /** Registers the node's services on its RPC server. */
  register(server: RpcServer): void;
  kill(): void;
}

export interface NodeContext {
  i: number;
  /** Ends to every server (counted), in server order. */
  ends: ClientEnd[];
  storage: PeerStorage;
  /** This node's clock (drifting when the run has clock drift). */
  clock: Clock;
  incarnation: number;
}

/**
 * Raft traffic that reached a server, counted per run for the efficiency
 * invariants (what a follower received, not what a leader sent into a
 * partition or to a crashed peer).
 */
export interface Traffic {
  /** AppendEntries carrying at least one entry. */
  appendsWithEntries: number;
  /** Entries received in AppendEntries (resends and duplicates included). */
  entriesShipped: number;
  heartbeats: number;
  snapshots: number;
  calls: number;
}

/** An RPC server that counts the Raft traffic it dispatches. */
class CountingServer extends RpcServer {
  constructor(private readonly traffic: Traffic) {
    super();
  }

  override dispatch(method: string, args: unknown): unknown {
    const t = this.traffic;
    t.calls += 1;
    if (method === 'Raft.AppendEntries') {
      const k = (args as { entries: unknown[] }).entries.length;
      if (k > 0) {
        t.appendsWithEntries += 1;
        t.entriesShipped += k;
      } else t.heartbeats += 1;
    } else if (method === 'Raft.InstallSnapshot') t.snapshots += 1;
    return super.dispatch(method, args);
  }
}

/**
 * The simulated world of a swarm run: n servers on a SimNetwork whose ends
 * know their owner (so one-way cuts work), a connectivity matrix the nemesis
 * edits (halves, bridges, isolation), crashes that keep what was durable, and
 * a clock per node. Counts Raft traffic as it passes.
 */
export class SwarmWorld {
  readonly net: SimNetwork;
  readonly n: number;
  readonly nodes: (SwarmNode | undefined)[];
  readonly storage: PeerStorage[];
  /** linked[i][j]: messages may flow between i and j (symmetric). */
  readonly linked: boolean[][];
  readonly traffic: Traffic = {
    appendsWithEntries: 0,
    entriesShipped: 0,
    heartbeats: 0,
    snapshots: 0,
    calls: 0,
  };
  readonly incarnation: number[];
  private readonly endNames: string[][];
  private readonly clocks: Clock[];
  private nextEnd = 0;

  constructor(
    readonly sim: Simulation,
    readonly params: SwarmParams,
    observer: StorageObserver,
    private readonly factory: (ctx: NodeContext) => SwarmNode,
  ) {
    this.n = params.servers;
    this.net = new SimNetwork(sim);
    this.nodes = new Array(this.n).fill(undefined);
    this.incarnation = new Array(this.n).fill(0);
    this.endNames = Array.from({ length: this.n }, () => []);
    this.linked = Array.from({ length: this.n }, () => new Array(this.n).fill(true));
    this.clocks = Array.from({ length: this.n }, (_, i) =>
      params.clockRates.length > 0 ? sim.clock.withRate(params.clockRates[i]!) : sim.clock,
    );
    this.storage = Array.from({ length: this.n }, (_, i) =>
      params.disk
        ? SwarmDiskStorage.fresh(sim, i, observer)
        : SwarmStorage.fresh(i, observer, this.asyncFor(i, 0)),
    );
    for (let i = 0; i < this.n; i++) this.start(i);
  }

  private asyncFor(i: number, incarnation: number) {
    return this.params.asyncStorage
      ? {
          clock: this.sim.clock,
          rng: this.sim.rng.fork(`disk-${i}-${incarnation}`),
          slow: this.params.slowDisk,
        }
      : undefined;
  }

  clock(i: number): Clock {
    return this.clocks[i]!;
  }

  alive(i: number): boolean {
    return this.nodes[i] !== undefined;
  }

  /** Starts server i from its durable state, with fresh ends; links follow the matrix. */
  start(i: number): void {
    if (this.nodes[i] !== undefined) return;
    this.incarnation[i]! += 1;
    const ends: ClientEnd[] = [];
    for (let j = 0; j < this.n; j++) {
      const name = `s${i}->s${j}#${this.nextEnd++}`;
      this.endNames[i]![j] = name;
      const end = this.net.makeEnd(name, String(i));
      this.net.connect(name, String(j));
      ends.push(end);
    }
    const node = this.factory({
      i,
      ends,
      storage: this.storage[i]!,
      clock: this.clocks[i]!,
      incarnation: this.incarnation[i]!,
    });
    const server = new CountingServer(this.traffic);
    node.register(server);
    this.nodes[i] = node;
    this.net.addServer(String(i), server);
    this.applyLinks();
    this.sim.trace('swarm', 'start', { i, incarnation: this.incarnation[i] });
  }

  /** Crashes server i: unreachable at once, killed, its in-flight saves lost. */
  crash(i: number): void {
    const node = this.nodes[i];
    if (node === undefined) return;
    this.nodes[i] = undefined;
    for (let j = 0; j < this.n; j++) this.net.enable(this.endNames[i]![j]!, false);
    this.net.deleteServer(String(i));
    const old = this.storage[i]!;
    this.storage[i] = old.durableCopy(this.asyncFor(i, this.incarnation[i]!));
    node.kill();
    old.kill();
    this.sim.trace('swarm', 'crash', { i });
  }

  /** Sets the connectivity matrix and enables ends accordingly. */
  setLinks(linked: (i: number, j: number) => boolean): void {
    for (let i = 0; i < this.n; i++)
      for (let j = 0; j < this.n; j++) this.linked[i]![j] = i === j || linked(i, j);
    this.applyLinks();
  }

  private applyLinks(): void {
    for (let i = 0; i < this.n; i++) {
      if (this.nodes[i] === undefined) continue;
      for (let j = 0; j < this.n; j++) {
        const up = this.linked[i]![j]! && this.nodes[j] !== undefined;
        this.net.enable(this.endNames[i]![j]!, up);
      }
    }
  }

  /** Heals every fault of the network: full links, no cuts, reliable, no extras. */
  healNetwork(): void {
    this.setLinks(() => true);
    this.net.healCuts();
    this.net.setReliable(true);
    this.net.setLongReordering(false);
    this.net.setFaults({});
  }

  setFaults(faults: Partial<NetworkFaults>): void {
    this.net.setFaults(faults);
  }

  cleanup(): void {
    for (let i = 0; i < this.n; i++) {
      const node = this.nodes[i];
      if (node !== undefined) {
        this.nodes[i] = undefined;
        node.kill();
        this.storage[i]!.kill();
      }
    }
    this.net.cleanup();
  }
}
