// Key/value operations per wall-clock second on a simulated cluster.
// For 3 and 5 servers, 1, 10 and 100 concurrent clerks, Gets and Appends.
// Run after a build: node bench/kv.bench.mjs      (OPS=<per-clerk ops, default 2000 total split over clerks>)
import { simKvGroup } from '@raftkit/kvserver/testing';
import { Simulation } from '@raftkit/labrpc';
import { Clerk } from '../dist/index.js';

const TOTAL_OPS = Number(process.env.OPS ?? 3000);

function cluster(n, seed) {
  const sim = new Simulation({ seed, printTrace: false, traceCapacity: 0 });
  const group = simKvGroup({ n, sim, server: { maxRaftState: 100_000, logger: undefined } });
  const clerk = (c) =>
    new Clerk(group.clientEnds(`c${c}`).ends, {
      clock: sim.clock,
      rng: sim.rng.fork(`clerk-${c}`),
    });
  return { sim, clerk };
}

async function measure(n, clerks, kind) {
  const { sim, clerk } = cluster(n, 7);
  const cks = Array.from({ length: clerks }, (_, c) => clerk(c));
  await sim.run(() => cks[0].put('warm', 'up')); // elect a leader first
  const perClerk = Math.max(1, Math.floor(TOTAL_OPS / clerks));
  const t0 = process.hrtime.bigint();
  const v0 = sim.clock.now();
  await sim.run(() =>
    Promise.all(
      cks.map(async (ck, c) => {
        for (let i = 0; i < perClerk; i++) {
          if (kind === 'get') await ck.get(`k${c % 10}`);
          else await ck.append(`k${c % 10}`, `x ${c} ${i} y`);
        }
      }),
    ),
  );
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const ops = perClerk * clerks;
  return {
    ops,
    wallMs,
    opsPerSec: (ops / wallMs) * 1000,
    virtualMsPerOp: (sim.clock.now() - v0) / perClerk,
  };
}

console.log('servers clerks op      ops/s(wall)  ops   wall ms  virtual ms/op per clerk');
for (const n of [3, 5]) {
  for (const clerks of [1, 10, 100]) {
    for (const kind of ['get', 'append']) {
      const r = await measure(n, clerks, kind);
      console.log(
        `${String(n).padStart(7)} ${String(clerks).padStart(6)} ${kind.padEnd(7)} ${Math.round(r.opsPerSec).toLocaleString('en').padStart(11)} ${String(r.ops).padStart(5)} ${r.wallMs.toFixed(0).padStart(8)} ${r.virtualMsPerOp.toFixed(2).padStart(10)}`,
      );
    }
  }
}
