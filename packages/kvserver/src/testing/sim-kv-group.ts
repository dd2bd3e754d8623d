import { type ClientEnd, type RaftStorage, RpcServer, serviceClient } from '@raftkit/core';
import { kvService } from '@raftkit/kv-protocol';
import { SimNetwork, type SimNetworkOptions, Simulation } from '@raftkit/labrpc';
import { memoryStorage, SimWiring, type StorageFactory } from '@raftkit/raft/testing';
import { KvServer, type KvServerOptions } from '../kv-server.js';

/** Server options the group does not set itself. */
export type SimKvServerOptions = Omit<
  Partial<KvServerOptions>,
  'peers' | 'me' | 'persister' | 'clock' | 'rng'
>;

export interface SimKvGroupOptions {
  /** Number of servers. */
  n: number;
  /** The simulation to run in; default a new one with `seed`. */
  sim?: Simulation;
  /** Seed of the new simulation when `sim` is not given. Default 1. */
  seed?: number | string;
  /** Options of every server (default maxRaftState -1); `serverOptions(i)` overrides per server. */
  server?: SimKvServerOptions;
  serverOptions?: (i: number) => SimKvServerOptions;
  /** Storage of each incarnation; default in-memory, copied at every restart. Plug a disk persister in here. */
  storage?: StorageFactory;
  /** Options of the simulated network (latency, drop rates, codec). */
  network?: SimNetworkOptions;
  /** Start with an unreliable network. Default false. */
  unreliable?: boolean;
  /** Whether the servers start linked to each other. Default true. */
  connected?: boolean;
}

/**
 * A simulated group of key/value servers with crash, restart, partition and
 * unreliable controls, and client ends for clerks: the wiring every kv test
 * needs, once. Built on the Raft package's `SimWiring`.
 */
export class SimKvGroup {
  readonly sim: Simulation;
  readonly net: SimNetwork;
  readonly wiring: SimWiring;
  readonly n: number;
  /** servers[i]: the live incarnation of server i, undefined while crashed. */
  readonly servers: (KvServer | undefined)[];
  private readonly storages: (RaftStorage | undefined)[];
  private readonly incarnations: number[];
  private readonly storageFactory: StorageFactory;
  private clients = 0;

  constructor(private readonly options: SimKvGroupOptions) {
    this.n = options.n;
    this.sim = options.sim ?? new Simulation({ seed: options.seed ?? 1, printTrace: false });
    this.net = new SimNetwork(this.sim, options.network);
    this.net.setReliable(!(options.unreliable ?? false));
    this.wiring = new SimWiring(this.net, this.n, { connected: options.connected ?? true });
    this.storageFactory = options.storage ?? memoryStorage;
    this.servers = new Array(this.n).fill(undefined);
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
  all(): number[] {
    return Array.from({ length: this.n }, (_, i) => i);
  }

  /** The live server i; throws while it is crashed. */
  server(i: number): KvServer {
    const s = this.servers[i];
    if (s === undefined) throw new Error(`kv server ${i} is crashed; restart it first`);
    return s;
  }

  /** The storage of server i's current (or last) incarnation. */
  storage(i: number): RaftStorage {
    const s = this.storages[i];
    if (s === undefined) throw new Error(`kv server ${i} has no storage yet`);
    return s;
  }

  /** Starts a new incarnation of server i (crashing the running one first), with fresh ends. */
  start(i: number): KvServer {
    if (this.servers[i] !== undefined) void this.crash(i);
    const incarnation = ++this.incarnations[i]!;
    const storage = this.storageFactory(i, this.storages[i]);
    this.storages[i] = storage;
    const kv = new KvServer({
      maxRaftState: -1,
      logger: this.sim.logger,
      ...this.options.server,
      ...this.options.serverOptions?.(i),
      peers: this.wiring.makeEnds(i),
      me: i,
      persister: storage,
      clock: this.sim.clock,
      rng: this.sim.rng.fork(`kv-${i}-${incarnation}`),
    });
    const server = new RpcServer();
    kv.register(server);
    this.wiring.addServer(i, server);
    this.servers[i] = kv;
    this.sim.trace('kv-group', 'start', { i, incarnation });
    return kv;
  }

  restart(i: number): KvServer {
    return this.start(i);
  }

  /**
   * Crashes server i: it leaves the network (calls to it are lost, even those
   * being handled) and is killed. Resolves when its Raft peer's in-flight save
   * has settled, after which its storage may be reopened.
   */
  crash(i: number): Promise<void> {
    const kv = this.servers[i];
    if (kv === undefined) return Promise.resolve();
    this.wiring.removeServer(i);
    this.servers[i] = undefined;
    kv.kill();
    this.sim.trace('kv-group', 'crash', { i });
    return kv.raft.kill();
  }

  connect(i: number): void {
    this.wiring.connect(i);
  }

  disconnect(i: number): void {
    this.wiring.disconnect(i);
  }

  /** Sets the links between i and every server of `peers` (both directions). */
  link(i: number, peers: readonly number[], on: boolean): void {
    this.wiring.links(i, peers, on);
  }

  /** Servers in the same group can talk; groups cannot. Client ends are untouched. */
  partition(...groups: readonly (readonly number[])[]): void {
    this.wiring.partition(...groups);
  }

  heal(): void {
    this.wiring.heal();
  }

  setUnreliable(unreliable: boolean): void {
    this.net.setReliable(!unreliable);
  }

  /**
   * One client end per server (ends[j] reaches server j), for a Clerk or a
   * raw client. Each end is enabled iff its server is in `to`.
   */
  clientEnds(
    label?: string,
    to: readonly number[] = this.all(),
  ): { names: string[]; ends: ClientEnd[] } {
    const id = label ?? `client-${++this.clients}`;
    const names: string[] = [];
    const ends: ClientEnd[] = [];
    for (let j = 0; j < this.n; j++) {
      const { name, end } = this.wiring.makeClientEnd(id, j, to.includes(j));
      names.push(name);
      ends.push(end);
    }
    return { names, ends };
  }

  /** Enables or disables one client end by name. */
  enableClientEnd(name: string, on: boolean): void {
    this.net.enable(name, on);
  }

  /** A raw KVServer client to server `i` (always enabled). */
  client(i: number) {
    const { end } = this.wiring.makeClientEnd(`raw-${++this.clients}`, i, true);
    return serviceClient(end, kvService);
  }

  /** A live server whose Raft believes it leads and that can reach another server, if any. */
  leader(): number | undefined {
    const i = this.servers.findIndex(
      (s, i) => s !== undefined && this.wiring.linked(i, i) && s.raft.getState().isLeader,
    );
    return i >= 0 ? i : undefined;
  }

  async waitForLeader(limitMs = 10_000): Promise<number> {
    const t0 = this.now;
    for (;;) {
      const l = this.leader();
      if (l !== undefined) return l;
      if (this.now - t0 >= limitMs) throw new Error(`no kv leader after ${limitMs} ms`);
      await this.sleep(100);
    }
  }

  /** Largest Raft state size over all storages (bytes). */
  logSize(): number {
    return Math.max(0, ...this.storages.map((s) => s?.raftStateSize() ?? 0));
  }

  /** Largest snapshot size over all storages (bytes). */
  snapshotSize(): number {
    return Math.max(0, ...this.storages.map((s) => s?.snapshotSize() ?? 0));
  }

  /** Runs `scenario` in the simulation, then shuts the group down (also on failure). */
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

  /** Kills every server and closes the network. */
  shutdown(): void {
    for (let i = 0; i < this.n; i++) {
      this.servers[i]?.kill();
      this.servers[i] = undefined;
    }
    this.net.cleanup();
  }
}

/** Builds a simulated key/value group; see `SimKvGroup`. */
export function simKvGroup(options: SimKvGroupOptions): SimKvGroup {
  return new SimKvGroup(options);
}
