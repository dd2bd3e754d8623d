// Simulated RPCs per wall-clock second on a 5-server all-to-all network.
// Run: node scripts/pnpm.mjs --filter @raftkit/labrpc bench   (after a build)
import { defineService, RpcServer, serviceClient, SimNetwork, Simulation } from '../dist/index.js';

const echo = defineService()('Echo', ['Echo']);
const SERVERS = 5;
const CALLS_PER_LINK = Number(process.env.CALLS ?? 8000);

async function once(reliable, seed) {
  const sim = new Simulation({ seed, printTrace: false, traceCapacity: 0 });
  const net = new SimNetwork(sim);
  net.setReliable(reliable);
  for (let s = 0; s < SERVERS; s++) {
    const server = new RpcServer();
    server.addService(echo, { Echo: (args) => ({ term: args.term, ok: true }) });
    net.addServer(`s${s}`, server);
  }
  const links = [];
  for (let from = 0; from < SERVERS; from++) {
    for (let to = 0; to < SERVERS; to++) {
      if (from === to) continue;
      const name = `${from}->${to}`;
      const end = net.makeEnd(name);
      net.connect(name, `s${to}`);
      net.enable(name, true);
      links.push(serviceClient(end, echo));
    }
  }
  const start = process.hrtime.bigint();
  await sim.run(() =>
    Promise.all(
      links.map(async (client) => {
        for (let i = 0; i < CALLS_PER_LINK; i++)
          await client.call('Echo', { term: i, entries: [{ term: 1, command: 'x' }] });
      }),
    ),
  );
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  return { calls: net.totalRpcCount(), wallMs, virtualMs: sim.clock.now(), events: sim.eventCount };
}

for (const reliable of [true, false]) {
  const runs = [];
  for (let r = 0; r < 5; r++) runs.push(await once(reliable, 100 + r));
  runs.sort((a, b) => a.calls / a.wallMs - b.calls / b.wallMs);
  const median = runs[2];
  console.log(
    `${reliable ? 'reliable  ' : 'unreliable'}: ${Math.round((median.calls / median.wallMs) * 1000).toLocaleString('en')} simulated RPCs/s ` +
      `(median of 5; ${median.calls} calls, ${median.events} events, ${median.wallMs.toFixed(0)} ms wall, ${(median.virtualMs / 1000).toFixed(1)} s virtual)`,
  );
}
