import { describe, expect, it } from 'vitest';
import { simRaftCluster } from '../src/testing/index.js';

describe('ReadIndex', () => {
  it('the leader answers with its commit index once a majority confirms it', async () => {
    const c = simRaftCluster({ n: 3, raft: { readIndex: true } });
    await c.run(async () => {
      const leader = await c.waitLeader();
      const p = c.peers[leader]!;
      expect(await p.readIndex()).toEqual({ ok: false, reason: 'leader-not-ready' });
      for (let k = 0; k < 3; k++) p.start(k);
      await c.sim.clock.sleep(50);
      const t0 = c.sim.clock.now();
      expect(await p.readIndex()).toEqual({ ok: true, index: 3 });
      expect(c.sim.clock.now() - t0).toBeLessThan(10); // one heartbeat round trip, not a heartbeat interval
      expect(await c.peers[(leader + 1) % 3]!.readIndex()).toEqual({
        ok: false,
        reason: 'not-leader',
      });
    });
  });

  it('a deposed leader in a minority never answers', async () => {
    const c = simRaftCluster({ n: 5, raft: { readIndex: true }, seed: 4 });
    await c.run(async () => {
      const old = await c.waitLeader();
      c.peers[old]!.start('x');
      await c.sim.clock.sleep(50);
      const minority = [old, (old + 1) % 5];
      const majority = [0, 1, 2, 3, 4].filter((i) => !minority.includes(i));
      c.partition(minority, majority);
      const fresh = await c.waitLeader(majority);
      const y = c.peers[fresh]!.start('y');
      await c.sim.clock.sleep(100);
      expect(c.peers[old]!.getState().isLeader).toBe(true); // it does not know yet
      const stale = await c.peers[old]!.readIndex();
      expect(stale.ok).toBe(false);
      const good = await c.peers[fresh]!.readIndex();
      expect(good).toEqual({ ok: true, index: y.index });
    });
  });

  it('pending reads fail when the peer is killed', async () => {
    const c = simRaftCluster({ n: 3, raft: { readIndex: true } });
    await c.run(async () => {
      const leader = await c.waitLeader();
      c.peers[leader]!.start(1);
      await c.sim.clock.sleep(50);
      c.partition([leader], [(leader + 1) % 3, (leader + 2) % 3]);
      const pending = c.peers[leader]!.readIndex();
      c.peers[leader]!.kill();
      expect(await pending).toEqual({ ok: false, reason: 'killed' });
      expect(await c.peers[leader]!.readIndex()).toEqual({ ok: false, reason: 'killed' });
    });
  });
});
