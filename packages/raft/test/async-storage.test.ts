import { SimNetwork, Simulation } from '@raftkit/labrpc';
import { RpcServer } from '@raftkit/core';
import { MemoryPersister } from '@raftkit/persister';
import type { PersistBatch, RaftStorage } from '@raftkit/core';
import { describe, expect, it } from 'vitest';
import { RaftPeer, registerRaft } from '../src/index.js';

/** A storage whose save completes after `delayMs` of virtual time (a disk with fsync latency). */
class SlowStorage implements RaftStorage {
  saves = 0;
  constructor(
    readonly inner: MemoryPersister,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly delayMs: number,
  ) {}
  load() {
    return this.inner.load();
  }
  async save(batch: PersistBatch): Promise<void> {
    this.saves += 1;
    await this.sleep(this.delayMs);
    this.inner.save(batch);
  }
  raftStateSize() {
    return this.inner.raftStateSize();
  }
  snapshotSize() {
    return this.inner.snapshotSize();
  }
  readSnapshot() {
    return this.inner.readSnapshot();
  }
}

describe('asynchronous storage', () => {
  it('replicates and applies in order when save() returns a promise', async () => {
    const sim = new Simulation({ seed: 3 });
    const net = new SimNetwork(sim);
    const n = 3;
    const storages: SlowStorage[] = [];
    const applied: unknown[][] = [[], [], []];
    const peers: RaftPeer[] = [];
    for (let i = 0; i < n; i++) {
      const ends = [];
      for (let j = 0; j < n; j++) {
        const name = `${i}-${j}`;
        ends.push(net.makeEnd(name));
        net.connect(name, `s${j}`);
        net.enable(name, true);
      }
      const storage = new SlowStorage(new MemoryPersister(), (ms) => sim.clock.sleep(ms), 5);
      storages.push(storage);
      const peer = new RaftPeer({
        peers: ends,
        me: i,
        storage,
        clock: sim.clock,
        rng: sim.rng.fork(`r${i}`),
        apply: (m) => applied[i]!.push(m.kind === 'command' ? m.command : 'snap'),
      });
      const server = new RpcServer();
      registerRaft(server, peer);
      net.addServer(`s${i}`, server);
      peers.push(peer);
    }
    await sim.run(async () => {
      await sim.clock.sleep(2000);
      const leader = peers.findIndex((p) => p.getState().isLeader);
      expect(leader).toBeGreaterThanOrEqual(0);
      for (let k = 0; k < 10; k++) {
        peers[leader]!.start(k);
        await sim.clock.sleep(3);
      }
      await sim.clock.sleep(500);
      for (let i = 0; i < n; i++) {
        expect(applied[i]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        expect(storages[i]!.inner.load().entries).toHaveLength(10);
      }
      for (const p of peers) p.kill();
      net.cleanup();
    });
  });
});
