import { simKvGroup } from '@raftkit/kvserver/testing';
import { expect, it } from 'vitest';
import { Clerk } from '../src/index.js';

const seed = Number(process.env.SEED ?? 1);

it(`clerks keep working through a leader crash and restart (3 real key/value servers, seed ${seed})`, async () => {
  const g = simKvGroup({ n: 3, seed, server: { maxRaftState: 500 } });
  const a = new Clerk(g.clientEnds('a').ends, { clock: g.sim.clock, rng: g.sim.rng.fork('a') });
  const b = new Clerk(g.clientEnds('b').ends, { clock: g.sim.clock, rng: g.sim.rng.fork('b') });
  expect(a.clientId).not.toBe(b.clientId);

  await g.run(async () => {
    await a.put('x', '');
    for (let i = 0; i < 20; i++) {
      await Promise.all([a.append('x', `a${i} `), b.append('y', `b${i} `)]);
      if (i === 10) {
        const leader = g.servers.findIndex((s) => s?.raft.getState().isLeader);
        await g.crash(leader);
        g.restart(leader);
      }
    }
    const x = await b.get('x');
    expect(x).toBe(Array.from({ length: 20 }, (_, i) => `a${i} `).join(''));
    expect(await a.get('y')).toBe(Array.from({ length: 20 }, (_, i) => `b${i} `).join(''));
  });
});
