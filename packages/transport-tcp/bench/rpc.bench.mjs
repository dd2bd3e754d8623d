// Calls/s and p50/p99 latency at 1, 16 and 64 calls in flight for raftkit's
// TCP transport, node:http keep-alive + JSON, and @grpc/grpc-js unary
// (msgpack serializers), against servers in a separate process, measured in
// one run, alternating between transports, several rounds.
//
//   node bench/rpc.bench.mjs                      (BENCH_ROUNDS=3 BENCH_MS=2000)
//   nice -n -5 node bench/rpc.bench.mjs           (less noise from other work)
import { fork } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { msgpackCodec } from '@raftkit/codec';
import { createTcpTransport } from '../dist/index.js';
import { GRPC_PATH, request } from './workload.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MS = Number(process.env.BENCH_MS ?? 2000);
const WARMUP_MS = 300;
const INFLIGHT = (process.env.BENCH_INFLIGHT ?? '1,16,64').split(',').map(Number);

const server = fork(join(import.meta.dirname, 'server.mjs'), [], {
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const ports = await new Promise((resolve) => server.once('message', resolve));

async function makeTcp() {
  const t = await createTcpTransport({
    clusterId: 'bench',
    nodeId: 'client',
    peers: { server: { host: '127.0.0.1', port: ports.tcp } },
  });
  const end = t.end('server');
  return {
    call: async () => {
      const r = await end.call('Bench.Echo', request);
      if (!r.ok) throw new Error(`raftkit call lost: ${r.reason}`);
    },
    close: () => t.close(),
  };
}

function makeHttp() {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const body = JSON.stringify(request);
  const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
  return {
    call: () =>
      new Promise((resolve, reject) => {
        const req = httpRequest(
          { host: '127.0.0.1', port: ports.http, method: 'POST', path: '/', agent, headers },
          (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => {
              JSON.parse(Buffer.concat(chunks).toString('utf8'));
              resolve();
            });
          },
        );
        req.on('error', reject);
        req.end(body);
      }),
    close: () => agent.destroy(),
  };
}

function makeGrpc() {
  const client = new grpc.Client(`127.0.0.1:${ports.grpc}`, grpc.credentials.createInsecure());
  const serialize = (v) => Buffer.from(msgpackCodec.encode(v));
  const deserialize = (b) => msgpackCodec.decode(b);
  return {
    call: () =>
      new Promise((resolve, reject) => {
        client.makeUnaryRequest(GRPC_PATH, serialize, deserialize, request, (err) =>
          err ? reject(err) : resolve(),
        );
      }),
    close: () => client.close(),
  };
}

const makers = { 'raftkit-tcp': makeTcp, 'http+json': makeHttp, 'grpc-js': makeGrpc };
// BENCH_TRANSPORTS=raftkit-tcp,grpc-js measures a subset (for profiling); the ratios need all three.
const names = (process.env.BENCH_TRANSPORTS ?? Object.keys(makers).join(',')).split(',');

/** CPU time (µs) the server process has used so far. */
function serverCpu() {
  return new Promise((resolve) => {
    const onMessage = (msg) => {
      if (typeof msg?.cpu === 'number') {
        server.off('message', onMessage);
        resolve(msg.cpu);
      }
    };
    server.on('message', onMessage);
    server.send('cpu');
  });
}

function clientCpu() {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/**
 * Runs `inflight` closed loops for WARMUP_MS + MS; returns calls/s, latency
 * percentiles (ms) and CPU µs per call (client + server processes) over MS.
 * CPU per call depends much less on other load than calls/s does.
 */
async function measure(client, inflight) {
  const latencies = [];
  let measuring = false;
  let stop = false;
  const loop = async () => {
    while (!stop) {
      const t0 = performance.now();
      await client.call();
      if (measuring) latencies.push(performance.now() - t0);
    }
  };
  const loops = Array.from({ length: inflight }, loop);
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  const cpu0 = clientCpu() + (await serverCpu());
  measuring = true;
  const start = performance.now();
  await new Promise((r) => setTimeout(r, MS));
  measuring = false;
  const elapsed = performance.now() - start;
  const count = latencies.length;
  const cpu = clientCpu() + (await serverCpu()) - cpu0;
  stop = true;
  await Promise.all(loops);
  latencies.sort((a, b) => a - b);
  const pct = (p) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ??
    Number.NaN;
  return { rate: (count / elapsed) * 1000, p50: pct(50), p99: pct(99), cpu: cpu / count };
}

const results = {}; // results[name][inflight] = [{ rate, p50, p99 }, ...]
for (const n of names) results[n] = Object.fromEntries(INFLIGHT.map((k) => [k, []]));
const clients = {};
for (const n of names) clients[n] = await makers[n]();

console.log(
  `rpc bench: ${ROUNDS} rounds × ${MS} ms per cell, request ${msgpackCodec.encode(request).length} B msgpack / ${JSON.stringify(request).length} B JSON; server pid ${server.pid}`,
);
for (let round = 0; round < ROUNDS; round++) {
  for (const inflight of INFLIGHT) {
    // Rotate the order every round so no transport always goes first.
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const n of order) {
      const r = await measure(clients[n], inflight);
      results[n][inflight].push(r);
      console.log(
        `  round ${round + 1} ${String(inflight).padStart(2)} in flight ${n.padEnd(12)} ${Math.round(r.rate).toString().padStart(7)} calls/s  p50 ${r.p50.toFixed(3)} ms  p99 ${r.p99.toFixed(3)} ms  cpu ${r.cpu.toFixed(1)} µs/call`,
      );
    }
  }
}
for (const n of names) await clients[n].close();
server.disconnect();
await new Promise((resolve) =>
  server.exitCode === null ? server.once('exit', resolve) : resolve(),
);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
console.log('\nmedian over rounds (min–max of calls/s):');
console.log(
  '| in flight | transport | calls/s (median) | calls/s min–max | p50 ms | p99 ms | CPU µs/call |',
);
console.log('|---:|---|---:|---:|---:|---:|---:|');
for (const inflight of INFLIGHT) {
  for (const n of names) {
    const rs = results[n][inflight];
    const rates = rs.map((r) => r.rate);
    console.log(
      `| ${inflight} | ${n} | ${Math.round(median(rates))} | ${Math.round(Math.min(...rates))}–${Math.round(Math.max(...rates))} | ${median(rs.map((r) => r.p50)).toFixed(3)} | ${median(rs.map((r) => r.p99)).toFixed(3)} | ${median(rs.map((r) => r.cpu)).toFixed(1)} |`,
    );
  }
}
if (names.length === 3)
  console.log('\nratios (raftkit-tcp / other, median calls/s; per-round ratio min–max):');
for (const inflight of names.length === 3 ? INFLIGHT : []) {
  const tcp = results['raftkit-tcp'][inflight].map((r) => r.rate);
  const parts = ['http+json', 'grpc-js'].map((other) => {
    const o = results[other][inflight].map((r) => r.rate);
    const perRound = tcp.map((t, i) => t / o[i]);
    return `${(median(tcp) / median(o)).toFixed(1)}× ${other} (${Math.min(...perRound).toFixed(1)}–${Math.max(...perRound).toFixed(1)})`;
  });
  console.log(`  ${inflight} in flight: ${parts.join(', ')}`);
}
