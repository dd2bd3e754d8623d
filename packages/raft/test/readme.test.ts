import { SimNetwork, Simulation } from '@raftkit/labrpc';
import { RpcServer } from '@raftkit/core';
import { MemoryPersister } from '@raftkit/persister';
import { expect, it } from 'vitest';
import { type ApplyMsg, RaftPeer, registerRaft } from '../src/index.js';

it('the README example runs as documented', async () => {
  const sim = new Simulation({ seed: 42 });
  const net = new SimNetwork(sim);
  const n = 3;
  const applied: ApplyMsg<string>[][] = [[], [], []];
  const peers: RaftPeer<string>[] = [];

  for (let i = 0; i < n; i++) {
    const ends = [];
    for (let j = 0; j < n; j++) {
      const name = `${i}->${j}`;
      ends.push(net.makeEnd(name));
      net.connect(name, `server-${j}`);
      net.enable(name, true);
    }
    const peer = new RaftPeer<string>({
      peers: ends,
      me: i,
      storage: new MemoryPersister(),
      apply: (msg) => applied[i]!.push(msg),
      clock: sim.clock,
      rng: sim.rng.fork(`raft-${i}`),
    });
    const server = new RpcServer();
    registerRaft(server, peer);
    net.addServer(`server-${i}`, server);
    peers.push(peer);
  }

  const out = await sim.run(async () => {
    await sim.clock.sleep(1000);
    const leader = peers.find((p) => p.getState().isLeader)!;
    const { index, term } = leader.start('hello');
    await sim.clock.sleep(50);
    const logs = applied.map((log) => log.map((m) => m.kind === 'command' && m.command));
    for (const p of peers) p.kill();
    net.cleanup();
    return { index, term, logs };
  });
  expect(out).toEqual({ index: 1, term: 1, logs: [['hello'], ['hello'], ['hello']] });
});
