import { SimNetwork, Simulation } from '@raftkit/labrpc';
import { type ClientEnd, RpcServer } from '@raftkit/core';
import { MemoryPersister } from '@raftkit/persister';
import { type ApplyMsg, type RaftConfig, RaftPeer, registerRaft } from '../src/index.js';

/** A small simulated cluster for the package's own tests (the lab suites live in apps/cluster). */
export class TestCluster {
  readonly sim: Simulation;
  readonly net: SimNetwork;
  readonly peers: RaftPeer<unknown>[] = [];
  readonly storages: MemoryPersister[] = [];
  readonly applied: ApplyMsg[][] = [];
  readonly names: string[][] = [];
  private seq = 0;

  constructor(
    readonly n: number,
    readonly options: Partial<RaftConfig> = {},
    seed = 1,
  ) {
    this.sim = new Simulation({ seed });
    this.net = new SimNetwork(this.sim);
    for (let i = 0; i < n; i++) {
      this.storages.push(new MemoryPersister());
      this.applied.push([]);
      this.names.push([]);
      this.peers.push(this.makePeer(i));
    }
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) this.net.enable(this.names[i]![j]!, true);
  }

  makePeer(
    i: number,
    onApply?: (peer: RaftPeer<unknown>, msg: ApplyMsg) => void,
  ): RaftPeer<unknown> {
    const ends: ClientEnd[] = [];
    for (let j = 0; j < this.n; j++) {
      const name = `${i}->${j}#${this.seq++}`;
      this.names[i]![j] = name;
      ends.push(this.net.makeEnd(name));
      this.net.connect(name, `s${j}`);
    }
    const peer: RaftPeer<unknown> = new RaftPeer<unknown>({
      ...this.options,
      peers: ends,
      me: i,
      storage: this.storages[i]!,
      clock: this.sim.clock,
      rng: this.sim.rng.fork(`raft-${i}-${this.seq}`),
      logger: this.sim.logger,
      apply: (msg) => {
        this.applied[i]!.push(msg);
        onApply?.(peer, msg);
      },
    });
    const server = new RpcServer();
    registerRaft(server, peer);
    this.net.addServer(`s${i}`, server);
    this.peers[i] = peer;
    return peer;
  }

  /** Restarts peer i from a copy of its storage, connected. */
  restart(
    i: number,
    onApply?: (peer: RaftPeer<unknown>, msg: ApplyMsg) => void,
  ): RaftPeer<unknown> {
    this.peers[i]!.kill();
    this.net.deleteServer(`s${i}`);
    this.storages[i] = this.storages[i]!.copy();
    this.applied[i] = [];
    const peer = this.makePeer(i, onApply);
    for (let j = 0; j < this.n; j++) {
      this.net.enable(this.names[i]![j]!, true);
      this.net.enable(this.names[j]![i]!, true);
    }
    return peer;
  }

  /** Cuts every link between the two groups (links inside a group stay up). */
  partition(a: number[], b: number[]): void {
    for (const i of a) {
      for (const j of b) {
        this.net.enable(this.names[i]![j]!, false);
        this.net.enable(this.names[j]![i]!, false);
      }
    }
  }

  heal(): void {
    for (let i = 0; i < this.n; i++)
      for (let j = 0; j < this.n; j++) this.net.enable(this.names[i]![j]!, true);
  }

  leaders(among: number[] = [...Array(this.n).keys()]): number[] {
    return among.filter((i) => this.peers[i]!.getState().isLeader);
  }

  /** Waits (virtual time) until exactly one peer of `among` leads; returns it. */
  async waitLeader(among?: number[], limitMs = 5000): Promise<number> {
    const t0 = this.sim.clock.now();
    while (this.sim.clock.now() - t0 < limitMs) {
      const l = this.leaders(among);
      if (l.length === 1) return l[0]!;
      await this.sim.clock.sleep(50);
    }
    throw new Error(`no single leader among ${String(among ?? 'all')} within ${limitMs} ms`);
  }

  commands(i: number): unknown[] {
    return this.applied[i]!.filter((m) => m.kind === 'command').map(
      (m) => (m as { command: unknown }).command,
    );
  }

  run<T>(fn: () => Promise<T>, maxVirtualMs = 60_000): Promise<T> {
    return this.sim.run(
      async () => {
        try {
          return await fn();
        } finally {
          for (const p of this.peers) p.kill();
          this.net.cleanup();
        }
      },
      { maxVirtualMs },
    );
  }
}
