import { describe, expect, it } from 'vitest';
import { simRaftCluster } from '../src/testing/index.js';

/** A follower cut off for 5 s, then reconnected: does the healthy leader survive? */
async function rejoinScenario(options: { preVote?: boolean; checkQuorum?: boolean }, seed: number) {
  const c = simRaftCluster({ n: 5, raft: options, seed: seed });
  return c.run(async () => {
    const leader = await c.waitLeader();
    const termBefore = c.peers[leader]!.getState().term;
    const lonely = (leader + 1) % 5;
    const others = [0, 1, 2, 3, 4].filter((i) => i !== lonely);
    c.partition([lonely], others);
    await c.sim.clock.sleep(5000);
    const lonelyTerm = c.peers[lonely]!.getState().term;
    c.heal();
    await c.sim.clock.sleep(3000);
    const after = c.leaders();
    return {
      leader,
      termBefore,
      lonelyTerm,
      leaderAfter: after,
      termAfter: c.peers[after[0] ?? leader]!.getState().term,
    };
  });
}

describe('PreVote', () => {
  it('without it, a rejoining partitioned peer deposes the healthy leader (baseline)', async () => {
    const r = await rejoinScenario({}, 7);
    expect(r.lonelyTerm).toBeGreaterThan(r.termBefore + 3);
    expect(r.termAfter).toBeGreaterThan(r.termBefore);
  });

  it.each([1, 2, 3, 4, 5])(
    'with it, a rejoining partitioned peer does not disturb the leader (seed %i)',
    async (seed) => {
      const r = await rejoinScenario({ preVote: true }, seed);
      expect(r.lonelyTerm).toBe(r.termBefore);
      expect(r.leaderAfter).toEqual([r.leader]);
      expect(r.termAfter).toBe(r.termBefore);
    },
  );

  it.each([1, 2, 3])(
    'with PreVote and CheckQuorum together, the leader survives too (seed %i)',
    async (seed) => {
      const r = await rejoinScenario({ preVote: true, checkQuorum: true }, seed);
      expect(r.leaderAfter).toEqual([r.leader]);
      expect(r.termAfter).toBe(r.termBefore);
    },
  );

  it('still elects a new leader when the old one dies', async () => {
    const c = simRaftCluster({ n: 5, raft: { preVote: true }, seed: 3 });
    await c.run(async () => {
      const leader = await c.waitLeader();
      const rest = [0, 1, 2, 3, 4].filter((i) => i !== leader);
      c.partition([leader], rest);
      const next = await c.waitLeader(rest);
      expect(next).not.toBe(leader);
      c.peers[next]!.start('after');
      await c.sim.clock.sleep(200);
      expect(c.commands(rest[0]!)).toContain('after');
    });
  });
});

describe('CheckQuorum', () => {
  async function isolatedLeader(checkQuorum: boolean) {
    const c = simRaftCluster({ n: 3, raft: { checkQuorum }, seed: 11 });
    return c.run(async () => {
      const leader = await c.waitLeader();
      c.partition([leader], [(leader + 1) % 3, (leader + 2) % 3]);
      await c.sim.clock.sleep(2000);
      return c.peers[leader]!.getState().isLeader;
    });
  }

  it('a leader cut off from the majority steps down within two election timeouts', async () => {
    expect(await isolatedLeader(true)).toBe(false);
  });

  it('without it, the cut-off leader keeps believing it leads (baseline)', async () => {
    expect(await isolatedLeader(false)).toBe(true);
  });

  it('a healthy leader never steps down', async () => {
    const c = simRaftCluster({ n: 3, raft: { checkQuorum: true }, seed: 5 });
    await c.run(async () => {
      const leader = await c.waitLeader();
      const term = c.peers[leader]!.getState().term;
      await c.sim.clock.sleep(10_000);
      expect(c.peers[leader]!.getState()).toEqual({ term, isLeader: true });
    });
  });
});
