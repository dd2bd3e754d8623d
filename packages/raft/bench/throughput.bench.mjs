// Committed entries per wall-clock second on a reliable simulated network (3 and 5 peers),
// with one client (start, wait for the commit, repeat) and with many concurrent starts.
// Run after a build: node scripts/pnpm.mjs --filter @raftkit/raft bench
//   (or: cd packages/raft && node bench/throughput.bench.mjs). ONE=… MANY=… CLIENTS=… to resize.
import { Simulation } from '@raftkit/labrpc';
import { simRaftCluster } from '../dist/testing.js';

const ONE = Number(process.env.ONE ?? 3000);
const MANY = Number(process.env.MANY ?? 30000);
const CLIENTS = Number(process.env.CLIENTS ?? 100);

function cluster(n, seed) {
  const sim = new Simulation({ seed, printTrace: false, traceCapacity: 0 });
  const waiters = new Map(); // index → resolve, on the leader's applies
  const c = simRaftCluster({
    n,
    sim,
    raft: { logger: undefined },
    onApply: (_i, m, peer) => {
      if (!peer.getState().isLeader) return;
      const w = waiters.get(m.index);
      if (w) {
        waiters.delete(m.index);
        w();
      }
    },
  });
  return { sim, net: c.net, peers: c.peers, waiters, c };
}

async function bench(n, clients, total, seed) {
  const { sim, net, peers, waiters, c } = cluster(n, seed);
  let wallStart = 0n;
  let virtualStart = 0;
  let committed = 0;
  await c.run(async () => {
    await sim.clock.sleep(2000);
    const leader = peers.find((p) => p.getState().isLeader);
    if (!leader) throw new Error('no leader');
    wallStart = process.hrtime.bigint();
    virtualStart = sim.clock.now();
    let issued = 0;
    const client = async (c) => {
      while (issued < total) {
        issued += 1;
        const { index, isLeader } = leader.start(`client-${c}-op-${issued}`);
        if (!isLeader) throw new Error('leader changed during the benchmark');
        await new Promise((resolve) => waiters.set(index, resolve));
        committed += 1;
      }
    };
    await Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
  });
  const wallMs = Number(process.hrtime.bigint() - wallStart) / 1e6;
  const virtualMs = sim.clock.now() - virtualStart;
  return { committed, wallMs, virtualMs, rpcs: net.totalRpcCount() };
}

console.log(
  `raft throughput (reliable SimNetwork, latency 0.2–2 ms per hop; ${ONE} ops with 1 client, ${MANY} ops with ${CLIENTS} clients)`,
);
for (const n of [3, 5]) {
  for (const [clients, total] of [
    [1, ONE],
    [CLIENTS, MANY],
  ]) {
    const runs = [];
    for (let r = 0; r < 3; r++) runs.push(await bench(n, clients, total, 7 + r));
    runs.sort((a, b) => a.committed / a.wallMs - b.committed / b.wallMs);
    const m = runs[1];
    console.log(
      `${n} peers, ${String(clients).padStart(3)} concurrent: ${Math.round(
        (m.committed / m.wallMs) * 1000,
      )
        .toLocaleString('en')
        .padStart(8)} committed entries/s wall ` +
        `(median of 3; ${m.committed} entries in ${m.wallMs.toFixed(0)} ms wall, ${(m.virtualMs / m.committed).toFixed(2)} virtual ms/entry, ${(m.rpcs / m.committed).toFixed(2)} RPCs/entry)`,
    );
  }
}
