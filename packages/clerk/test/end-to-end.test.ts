import { KvServer } from '@raftkit/kvserver';
import { SimNetwork, Simulation } from '@raftkit/labrpc';
import { type ClientEnd, RpcServer } from '@raftkit/core';
import { MemoryPersister } from '@raftkit/persister';
import { expect, it } from 'vitest';
import { Clerk } from '../src/index.js';

const seed = Number(process.env.SEED ?? 1);

it('clerks keep working through a leader crash and restart (3 real key/value servers)', async () => {
  const sim = new Simulation({ seed, printTrace: false });
  const net = new SimNetwork(sim);
  const n = 3;
  const persisters = Array.from({ length: n }, () => new MemoryPersister());
  const servers: (KvServer | undefined)[] = [];
  let generation = 0;
  const start = (i: number) => {
    generation += 1;
    const ends: ClientEnd[] = [];
    for (let j = 0; j < n; j++) {
      const name = `${i}->${j}@${generation}`;
      ends.push(net.makeEnd(name));
      net.connect(name, `s${j}`);
      net.enable(name, true);
    }
    const kv = new KvServer({
      peers: ends,
      me: i,
      persister: persisters[i]!,
      maxRaftState: 500,
      clock: sim.clock,
      rng: sim.rng.fork(`kv${generation}`),
    });
    const rpc = new RpcServer();
    kv.register(rpc);
    net.addServer(`s${i}`, rpc);
    servers[i] = kv;
  };
  for (let i = 0; i < n; i++) start(i);
  const clerkEnds = (c: number) =>
    Array.from({ length: n }, (_, j) => {
      const name = `clerk${c}->${j}`;
      const end = net.makeEnd(name);
      net.connect(name, `s${j}`);
      net.enable(name, true);
      return end;
    });
  const a = new Clerk(clerkEnds(0), { clock: sim.clock, rng: sim.rng.fork('a') });
  const b = new Clerk(clerkEnds(1), { clock: sim.clock, rng: sim.rng.fork('b') });
  expect(a.clientId).not.toBe(b.clientId);

  await sim.run(async () => {
    await a.put('x', '');
    for (let i = 0; i < 20; i++) {
      await Promise.all([a.append('x', `a${i} `), b.append('y', `b${i} `)]);
      if (i === 10) {
        const leader = servers.findIndex((s) => s?.raft.getState().isLeader);
        net.deleteServer(`s${leader}`);
        servers[leader]!.kill();
        persisters[leader] = persisters[leader]!.copy();
        start(leader);
      }
    }
    const x = await b.get('x');
    expect(x).toBe(Array.from({ length: 20 }, (_, i) => `a${i} `).join(''));
    expect(await a.get('y')).toBe(Array.from({ length: 20 }, (_, i) => `b${i} `).join(''));
  });
  for (const s of servers) s?.kill();
  net.cleanup();
});
