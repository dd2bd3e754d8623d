import { NoLeaderError } from '../errors/no-leader-error.js';
import { GatewayClient } from '../client/gateway-client.js';
import { type Agents, createAgents, destroyAgents, httpRequest } from '../client/http-request.js';
import { findLeader } from '../client/leader.js';
import { hostCpuCount, hostTicks, processCpuSeconds } from '../util/proc-cpu.js';
import { createSeededRng } from '@raftkit/labrpc';
import {
  type BenchOp,
  BENCH_OPS,
  type BenchOptions,
  validateBenchOptions,
} from './bench-options.js';
import { type LatencyStats, latencyStats, round3, Samples } from './latency.js';

/** A live view of a run for progress output. */
export interface BenchProgress {
  phase: 'preload' | 'warmup' | 'measure' | 'drain';
  /** Seconds into the current phase. */
  elapsed: number;
  /** The phase's length, s (0 for preload and drain). */
  total: number;
  /** Ops completed in the window so far and errors in it. */
  ops: number;
  errors: number;
}

export interface BenchResult extends LatencyStats {
  tool: 'raftkit-bench';
  version: string;
  leader: string;
  mix: Record<BenchOp, number>;
  clients: number;
  seconds: number;
  warmup: number;
  keys: number;
  valueBytes: number;
  target: 'leader' | 'spread';
  seed: number;
  errors: number;
  /** Gets that found no key although every key was preloaded. */
  getMisses: number;
  measuredSec: number;
  loadgenCores: number;
  serverCores?: number | null;
  /** Host CPU (cores) used by neither the servers nor this process: a quiet-host check. */
  otherCores?: number;
  byOp: Partial<Record<BenchOp, LatencyStats & { errors: number }>>;
  errorSamples?: Record<string, number>;
}

const PATH: Record<BenchOp, string> = {
  put: '/v3/kv/put',
  get: '/v3/kv/range',
  sget: '/v3/kv/range',
};
/** Leader lookups after errors are at most this often, ms; a failing client pauses this long. */
const RELOOKUP_MS = 250;
const ERROR_PAUSE_MS = 20;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A closed-loop load run against servers speaking etcd's v3 JSON gateway, with the same
 * semantics as the shared kvload.mjs: leader found by status, optional preload, warm-up, a
 * measured window in which latencies of completed ops are recorded (request start to full
 * reply), errors counted, then in-flight requests drained (bounded by the timeout).
 */
export async function runBench(
  input: BenchOptions,
  onProgress: (p: BenchProgress) => void = () => {},
): Promise<BenchResult> {
  const o = validateBenchOptions(input);
  const admin = new GatewayClient({
    endpoints: o.endpoints,
    timeoutMs: o.timeoutMs,
    ...(o.tls !== undefined ? { tls: o.tls } : {}),
  });
  const agents: Agents = createAgents(o.clients + 4, o.tls);
  try {
    return await run(o, admin, agents, onProgress);
  } finally {
    admin.close();
    destroyAgents(agents);
  }
}

async function run(
  o: BenchOptions,
  admin: GatewayClient,
  agents: Agents,
  onProgress: (p: BenchProgress) => void,
): Promise<BenchResult> {
  const found = await findLeader(admin);
  if (found.leader === undefined) {
    const seen = found.statuses.map((s) => `${s.endpoint}: ${s.errors[0] ?? `leader ${s.leader}`}`);
    throw new NoLeaderError({ seen });
  }
  let leader = new URL(found.leader.endpoint);
  const version = found.leader.version;

  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const pad = String(o.keys - 1).length;
  const keys = Array.from({ length: o.keys }, (_, i) =>
    b64(o.prefix + String(i).padStart(pad, '0')),
  );
  const value = b64('v'.repeat(o.valueBytes));
  const bodies: Record<BenchOp, Buffer[]> = {
    put: keys.map((k) => Buffer.from(`{"key":"${k}","value":"${value}"}`)),
    get: keys.map((k) => Buffer.from(`{"key":"${k}"}`)),
    sget: keys.map((k) => Buffer.from(`{"key":"${k}","serializable":true}`)),
  };
  const ops = BENCH_OPS.filter((op) => o.mix[op] > 0);
  const weights = ops.map((op) => o.mix[op]);
  const totalWeight = weights.reduce((a, b) => a + b, 0);

  const post = (url: URL, op: BenchOp, k: number) =>
    httpRequest({
      agents,
      url,
      method: 'POST',
      path: PATH[op],
      body: bodies[op][k]!,
      timeoutMs: o.timeoutMs,
    });

  if (o.preload) {
    onProgress({ phase: 'preload', elapsed: 0, total: 0, ops: 0, errors: 0 });
    let next = 0;
    const worker = async () => {
      while (next < o.keys) {
        const k = next++;
        const r = await post(leader, 'put', k);
        if (r.status !== 200) throw new Error(`preload put failed: HTTP ${r.status} ${r.body}`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(32, o.keys) }, worker));
  }

  const samples = Object.fromEntries(BENCH_OPS.map((op) => [op, new Samples()])) as Record<
    BenchOp,
    Samples
  >;
  const errors: Record<BenchOp, number> = { put: 0, get: 0, sget: 0 };
  const errorSamples = new Map<string, number>();
  let misses = 0;
  let measuring = false;
  let stopping = false;
  let lastLookup = 0;

  const refreshLeader = async () => {
    const now = performance.now();
    if (now - lastLookup < RELOOKUP_MS) return;
    lastLookup = now;
    const again = await findLeader(admin).catch(() => undefined);
    if (again?.leader) leader = new URL(again.leader.endpoint);
  };
  const noteError = (op: BenchOp, message: string) => {
    if (measuring) errors[op] += 1;
    const m = message.slice(0, 160);
    errorSamples.set(m, (errorSamples.get(m) ?? 0) + 1);
  };

  const client = async (index: number) => {
    const rng = createSeededRng(`${o.seed}/client-${index}`);
    while (!stopping) {
      let op = ops[0]!;
      if (ops.length > 1) {
        let x = rng.float() * totalWeight;
        for (let i = 0; i < ops.length; i++) {
          x -= weights[i]!;
          if (x < 0) {
            op = ops[i]!;
            break;
          }
        }
      }
      const k = rng.int(0, o.keys - 1);
      const url = o.target === 'leader' ? leader : o.endpoints[index % o.endpoints.length]!;
      const t = performance.now();
      let failed: string | undefined;
      try {
        const r = await post(url, op, k);
        const d = performance.now() - t;
        if (r.status !== 200 || r.body.startsWith('{"error"'))
          failed = `http ${r.status}: ${r.body}`;
        else {
          if (op !== 'put' && o.preload && !r.body.includes('"kvs"') && measuring) misses += 1;
          if (measuring && !stopping) samples[op].push(d);
        }
      } catch (error) {
        failed = (error as Error).message;
      }
      if (failed !== undefined) {
        noteError(op, failed);
        await refreshLeader();
        await sleep(ERROR_PAUSE_MS);
      }
    }
  };

  const clients = Array.from({ length: o.clients }, (_, i) => client(i));
  const countOps = () => BENCH_OPS.reduce((a, op) => a + samples[op].length, 0);
  const countErrors = () => BENCH_OPS.reduce((a, op) => a + errors[op], 0);
  const phase = async (name: 'warmup' | 'measure', seconds: number) => {
    const start = performance.now();
    const end = start + seconds * 1000;
    for (;;) {
      const now = performance.now();
      onProgress({
        phase: name,
        elapsed: (now - start) / 1000,
        total: seconds,
        ops: countOps(),
        errors: countErrors(),
      });
      if (now >= end) return;
      await sleep(Math.min(250, end - now));
    }
  };

  await phase('warmup', o.warmup);
  const cpu0 = process.cpuUsage();
  const server0 = o.cpuPids.map(processCpuSeconds);
  const host0 = hostTicks();
  const t0 = performance.now();
  measuring = true;
  await phase('measure', o.seconds);
  stopping = true;
  const t1 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const server1 = o.cpuPids.map(processCpuSeconds);
  const host1 = hostTicks();
  onProgress({ phase: 'drain', elapsed: 0, total: 0, ops: countOps(), errors: countErrors() });
  let drainTimer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(clients),
    new Promise<void>((r) => {
      drainTimer = setTimeout(r, o.timeoutMs + 1000);
    }),
  ]);
  clearTimeout(drainTimer);

  const secs = (t1 - t0) / 1000;
  const byOp: BenchResult['byOp'] = {};
  for (const op of ops) byOp[op] = { ...latencyStats([samples[op]], secs), errors: errors[op] };
  const loadgenCores = round3((cpu.user + cpu.system) / 1e6 / secs);
  const result: BenchResult = {
    tool: 'raftkit-bench',
    version,
    leader: leader.origin,
    mix: o.mix,
    clients: o.clients,
    seconds: o.seconds,
    warmup: o.warmup,
    keys: o.keys,
    valueBytes: o.valueBytes,
    target: o.target,
    seed: o.seed,
    ...latencyStats(
      ops.map((op) => samples[op]),
      secs,
    ),
    errors: countErrors(),
    getMisses: misses,
    measuredSec: round3(secs),
    loadgenCores,
    byOp,
  };
  if (o.cpuPids.length > 0) {
    const used = server1.reduce((a, x, i) => a + x - server0[i]!, 0);
    result.serverCores = Number.isFinite(used) ? round3(used / secs) : null;
  }
  if (o.cpuPids.length > 0 && host0 && host1 && host1.total > host0.total) {
    const busy = 1 - (host1.idle - host0.idle) / (host1.total - host0.total);
    result.otherCores = round3(busy * hostCpuCount() - (result.serverCores ?? 0) - loadgenCores);
  }
  if (errorSamples.size > 0)
    result.errorSamples = Object.fromEntries([...errorSamples].slice(0, 5));
  return result;
}
