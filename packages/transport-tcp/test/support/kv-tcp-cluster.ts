import { Clerk } from '@raftkit/clerk';
import { RealClock, type Rng, RpcServer } from '@raftkit/core';
import { KvServer } from '@raftkit/kvserver';
import { MemoryPersister } from '@raftkit/persister';
import {
  createTcpTransport,
  ListenError,
  type PeerAddress,
  type TcpTransport,
} from '../../src/index.js';

const CLUSTER = 'kv-swap';
const serverId = (i: number) => `kv${i}`;

/** The lab's unreliable network, on real sockets: 10 % of requests and of replies lost, 0–27 ms delays. */
export const UNRELIABLE = { dropRequests: 0.1, dropReplies: 0.1, delayMs: [0, 27] as const };

/**
 * The kv lab's `config` in real time over loopback TCP: n KvServers, each on
 * its own TcpTransport (its own port), clerks on client-only transports.
 * Partitions and client disconnections are cuts of the fault layer on the
 * caller's side; a crash closes the server's transport (every socket) and
 * restarts it on the same port from a copy of its persister.
 */
export class TcpKvCluster {
  readonly n: number;
  private readonly transports: (TcpTransport | undefined)[];
  private readonly servers: (KvServer | undefined)[];
  private readonly saved: MemoryPersister[];
  private readonly addresses: PeerAddress[] = [];
  private readonly clerks = new Map<Clerk, { transport: TcpTransport; order: number[] }>();
  private readonly groups: number[];
  private nextClerk = 0;
  /** Counters of transports already closed (crashed servers, deleted clerks). */
  private readonly retired = { calls: 0, bytes: 0, reconnects: 0 };
  readonly clock = new RealClock();

  private constructor(
    n: number,
    private readonly unreliable: boolean,
    private readonly maxRaftState: number,
    readonly rng: Rng,
  ) {
    this.n = n;
    this.transports = new Array(n).fill(undefined);
    this.servers = new Array(n).fill(undefined);
    this.saved = Array.from({ length: n }, () => new MemoryPersister());
    this.groups = new Array(n).fill(0);
  }

  static async start(options: {
    n: number;
    unreliable: boolean;
    maxRaftState: number;
    rng: Rng;
  }): Promise<TcpKvCluster> {
    const cluster = new TcpKvCluster(
      options.n,
      options.unreliable,
      options.maxRaftState,
      options.rng,
    );
    const rpcs = await Promise.all(cluster.all().map((i) => cluster.listen(i, 0)));
    for (const i of cluster.all()) cluster.addresses[i] = cluster.transports[i]!.address();
    for (const i of cluster.all()) cluster.boot(i, rpcs[i]!);
    return cluster;
  }

  all(): number[] {
    return Array.from({ length: this.n }, (_, i) => i);
  }

  private async listen(i: number, port: number): Promise<RpcServer> {
    const rpc = new RpcServer();
    let transport: TcpTransport;
    try {
      transport = await this.makeServerTransport(i, rpc, port);
    } catch (error) {
      // The old port was taken meanwhile: take a new one and tell everyone.
      if (port === 0 || !ListenError.isInstance(error)) throw error;
      transport = await this.makeServerTransport(i, rpc, 0);
      this.addresses[i] = transport.address();
      for (const t of [...this.transports, ...[...this.clerks.values()].map((c) => c.transport)]) {
        t?.setPeer(serverId(i), this.addresses[i]!);
      }
    }
    this.transports[i] = transport;
    return rpc;
  }

  private makeServerTransport(i: number, rpc: RpcServer, port: number): Promise<TcpTransport> {
    return createTcpTransport({
      clusterId: CLUSTER,
      nodeId: serverId(i),
      listen: { host: '127.0.0.1', port },
      server: rpc,
      acceptFrom: (id) => id.startsWith('kv') || id.startsWith('ck'),
      clock: this.clock,
      rng: this.rng.fork(`transport-${i}`),
      backoff: { baseMs: 20, maxMs: 200 },
    });
  }

  /** Creates server i's KvServer on its (listening) transport. */
  private boot(i: number, rpc: RpcServer): void {
    const transport = this.transports[i]!;
    for (const j of this.all()) transport.setPeer(serverId(j), this.addresses[j]!);
    if (this.unreliable) transport.faults.set(UNRELIABLE);
    this.applyPartition(i);
    const kv = new KvServer({
      peers: this.all().map((j) => transport.end(serverId(j))),
      me: i,
      persister: this.saved[i]!,
      maxRaftState: this.maxRaftState,
      clock: this.clock,
      rng: this.rng.fork(`kv-${i}`),
    });
    kv.register(rpc);
    this.servers[i] = kv;
  }

  /** Lab ShutdownServer: every socket of server i closes; the persister is copied before the kill. */
  async shutdownServer(i: number): Promise<void> {
    const transport = this.transports[i];
    this.transports[i] = undefined;
    await this.retire(transport);
    this.saved[i] = this.saved[i]!.copy();
    this.servers[i]?.kill();
    this.servers[i] = undefined;
  }

  /** Lab StartServer: a new transport on the same port, a new KvServer from the saved persister. */
  async startServer(i: number): Promise<void> {
    this.saved[i] = this.saved[i]!.copy();
    const rpc = await this.listen(i, this.addresses[i]!.port);
    this.boot(i, rpc);
  }

  /** Splits the servers into p1 and p2 (clerks are not affected). */
  partition(p1: readonly number[], p2: readonly number[]): void {
    for (const i of p1) this.groups[i] = 1;
    for (const i of p2) this.groups[i] = 2;
    for (const i of this.all()) this.applyPartition(i);
  }

  connectAll(): void {
    this.groups.fill(0);
    for (const i of this.all()) this.applyPartition(i);
  }

  private applyPartition(i: number): void {
    const transport = this.transports[i];
    if (transport === undefined) return;
    transport.faults.heal();
    for (const j of this.all()) {
      if (this.groups[i] !== this.groups[j]) transport.faults.cut(serverId(j), 'out');
    }
  }

  leader(): number | undefined {
    return this.all().find((i) => this.servers[i]?.raft.getState().isLeader);
  }

  /** Lab make_partition: p1 = a majority without the leader, p2 = the rest with the leader. */
  makePartition(): [number[], number[]] {
    const leader = this.leader() ?? 0;
    const p1: number[] = [];
    const p2: number[] = [];
    for (const i of this.all()) {
      if (i === leader) continue;
      if (p1.length < Math.floor(this.n / 2) + 1) p1.push(i);
      else p2.push(i);
    }
    p2.push(leader);
    return [p1, p2];
  }

  /** A clerk on its own transport, its servers in a shuffled order, connected to `to`. */
  async makeClient(to: readonly number[]): Promise<Clerk> {
    this.nextClerk += 1;
    const id = `ck${this.nextClerk}`;
    const peers = Object.fromEntries(this.all().map((j) => [serverId(j), this.addresses[j]!]));
    const transport = await createTcpTransport({
      clusterId: CLUSTER,
      nodeId: id,
      peers,
      clock: this.clock,
      rng: this.rng.fork(id),
      backoff: { baseMs: 20, maxMs: 200 },
    });
    if (this.unreliable) transport.faults.set(UNRELIABLE);
    const order = shuffle(this.all(), this.rng);
    const ck = new Clerk(
      order.map((j) => transport.end(serverId(j))),
      { clock: this.clock, rng: this.rng.fork(`clerk-${id}`) },
    );
    this.clerks.set(ck, { transport, order });
    this.connectClient(ck, to);
    return ck;
  }

  connectClient(ck: Clerk, to: readonly number[]): void {
    const { transport } = this.clerk(ck);
    for (const j of to) transport.faults.heal(serverId(j));
    for (const j of this.all()) if (!to.includes(j)) transport.faults.cut(serverId(j), 'out');
  }

  async deleteClient(ck: Clerk): Promise<void> {
    const entry = this.clerks.get(ck);
    this.clerks.delete(ck);
    await this.retire(entry?.transport);
  }

  private clerk(ck: Clerk) {
    const entry = this.clerks.get(ck);
    if (entry === undefined) throw new Error('unknown clerk');
    return entry;
  }

  /** Largest snapshot over the persisters (bytes). */
  snapshotSize(): number {
    return Math.max(...this.saved.map((p) => p.snapshotSize()));
  }

  private async retire(transport: TcpTransport | undefined): Promise<void> {
    if (transport === undefined) return;
    await transport.close();
    const s = transport.stats();
    this.retired.calls += s.calls;
    this.retired.bytes += s.bytesSent;
    this.retired.reconnects += s.reconnects;
  }

  /** Calls, bytes sent and reconnects over every transport of the run (for the summary line). */
  totals(): { calls: number; bytes: number; reconnects: number } {
    let { calls, bytes, reconnects } = this.retired;
    for (const t of [...this.transports, ...[...this.clerks.values()].map((c) => c.transport)]) {
      const s = t?.stats();
      if (s === undefined) continue;
      calls += s.calls;
      bytes += s.bytesSent;
      reconnects += s.reconnects;
    }
    return { calls, bytes, reconnects };
  }

  /** Kills every server and closes every transport. */
  async cleanup(): Promise<void> {
    for (const i of this.all()) {
      this.servers[i]?.kill();
      this.servers[i] = undefined;
    }
    await Promise.all([
      ...this.transports.map((t) => t?.close()),
      ...[...this.clerks.values()].map((c) => c.transport.close()),
    ]);
    this.clerks.clear();
  }
}

function shuffle<T>(items: readonly T[], rng: Rng): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
