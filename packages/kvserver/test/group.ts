import { SimNetwork, Simulation } from '@raftkit/labrpc';
import { type ClientEnd, RpcServer, serviceClient } from '@raftkit/core';
import { MemoryPersister } from '@raftkit/persister';
import { KvServer, type KvServerOptions } from '../src/index.js';
import { kvService } from '@raftkit/kv-protocol';

/** A small simulated group of key/value servers with raw clients, for package tests. */
export class Group {
  readonly sim: Simulation;
  readonly net: SimNetwork;
  readonly servers: (KvServer | undefined)[];
  readonly persisters: MemoryPersister[];
  private generation = 0;
  private clients = 0;
  /** Server index → generation of its current ends. */
  private readonly endsOf = new Map<number, number>();
  private readonly connected = new Set<number>();

  constructor(
    readonly n: number,
    seed: number,
    private readonly options: Partial<KvServerOptions> = {},
  ) {
    this.sim = new Simulation({ seed, printTrace: false });
    this.net = new SimNetwork(this.sim);
    this.servers = new Array(n).fill(undefined);
    this.persisters = Array.from({ length: n }, () => new MemoryPersister());
    for (let i = 0; i < n; i++) this.start(i);
    for (let i = 0; i < n; i++) this.connect(i, true);
  }

  start(i: number): KvServer {
    const gen = ++this.generation;
    const ends: ClientEnd[] = [];
    for (let j = 0; j < this.n; j++) {
      const name = `${i}->${j}#${gen}`;
      ends.push(this.net.makeEnd(name));
      this.net.connect(name, `s${j}`);
    }
    const kv = new KvServer({
      maxRaftState: -1,
      ...this.options,
      peers: ends,
      me: i,
      persister: this.persisters[i]!,
      clock: this.sim.clock,
      rng: this.sim.rng.fork(`kv-${i}-${gen}`),
    });
    const server = new RpcServer();
    kv.register(server);
    this.net.addServer(`s${i}`, server);
    this.servers[i] = kv;
    this.endsOf.set(i, gen);
    return kv;
  }

  /** Enables or disables every server-to-server end touching `i` (both ways, to connected peers). */
  connect(i: number, on: boolean): void {
    if (on) this.connected.add(i);
    else this.connected.delete(i);
    for (let j = 0; j < this.n; j++) {
      const both = on && this.connected.has(j);
      this.setEnd(i, j, both || (on && i === j));
      this.setEnd(j, i, both || (on && i === j));
    }
  }

  private setEnd(from: number, to: number, on: boolean): void {
    const gen = this.endsOf.get(from);
    if (gen !== undefined) this.net.enable(`${from}->${to}#${gen}`, on);
  }

  crash(i: number): void {
    this.connect(i, false);
    this.net.deleteServer(`s${i}`);
    this.persisters[i] = this.persisters[i]!.copy();
    this.servers[i]?.kill();
    this.servers[i] = undefined;
  }

  /** A raw KVServer client to server `i` (always enabled). */
  client(i: number) {
    const name = `client-${this.clients++}->${i}`;
    const end = this.net.makeEnd(name);
    this.net.connect(name, `s${i}`);
    this.net.enable(name, true);
    return serviceClient(end, kvService);
  }

  /** A connected server that believes it is leader, if any. */
  leader(): number | undefined {
    const i = this.servers.findIndex(
      (s, i) => s !== undefined && this.connected.has(i) && s.raft.getState().isLeader,
    );
    return i >= 0 ? i : undefined;
  }

  async waitForLeader(): Promise<number> {
    for (let i = 0; i < 100; i++) {
      const l = this.leader();
      if (l !== undefined) return l;
      await this.sim.clock.sleep(100);
    }
    throw new Error('no leader after 10 s');
  }

  shutdown(): void {
    for (const s of this.servers) s?.kill();
    this.net.cleanup();
  }
}
