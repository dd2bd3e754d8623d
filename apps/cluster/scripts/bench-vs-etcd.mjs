#!/usr/bin/env node
// Side-by-side benchmark: raftkit (`raftkit up`, 3 nodes) and etcd (the shared etcd-cluster.sh,
// 3 members), alternating run by run in one session, a fresh cluster per run, both driven by the
// same unchanged kvload.mjs. Appends one JSON line per run (kvload's result plus engine, rep and
// the host's 1-minute load average before the run) to OUT, then prints medians and ratios.
//
//   node scripts/bench-vs-etcd.mjs --kvload-dir DIR [--reps 3] [--seconds 10] [--warmup 2]
//        [--matrix 1:put,1:get,64:put,64:get,256:put,256:get] [--out FILE] [--summary-only]
//
// DIR holds kvload.mjs and etcd-cluster.sh (the shared bench scripts). Needs a build
// (dist/cli.js) and Debian's etcd-server. Every process it starts is stopped by its pid.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const CLI = join(here, '..', 'dist', 'cli.js');

function args() {
  const o = {
    kvloadDir: process.env.KVLOAD_DIR,
    reps: 3,
    seconds: 10,
    warmup: 2,
    matrix: '1:put,1:get,64:put,64:get,256:put,256:get',
    out: join(tmpdir(), `bench-vs-etcd-${Date.now()}.jsonl`),
    summaryOnly: false,
  };
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i++) {
    const k = a[i];
    if (k === '--summary-only') o.summaryOnly = true;
    else if (k === '--kvload-dir') o.kvloadDir = a[++i];
    else if (k === '--reps') o.reps = Number(a[++i]);
    else if (k === '--seconds') o.seconds = Number(a[++i]);
    else if (k === '--warmup') o.warmup = Number(a[++i]);
    else if (k === '--matrix') o.matrix = a[++i];
    else if (k === '--out') o.out = a[++i];
    else {
      console.error(`unknown argument ${k}`);
      process.exit(2);
    }
  }
  if (
    !o.summaryOnly &&
    (o.kvloadDir === undefined || !existsSync(join(o.kvloadDir, 'kvload.mjs')))
  ) {
    console.error('give --kvload-dir DIR (or KVLOAD_DIR) with kvload.mjs and etcd-cluster.sh');
    process.exit(2);
  }
  return o;
}

/** Runs a command to completion; resolves with its stdout. */
function run(cmd, argv, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

const lastJson = (text) =>
  text
    .split('\n')
    .filter((l) => l.startsWith('{"tool":"kvload"'))
    .map((l) => JSON.parse(l))
    .at(-1);

async function etcdRun(o, clients, op) {
  const r = await run(join(o.kvloadDir, 'etcd-cluster.sh'), [
    process.execPath,
    join(o.kvloadDir, 'kvload.mjs'),
    '--clients',
    String(clients),
    '--op',
    op,
    '--seconds',
    String(o.seconds),
    '--warmup',
    String(o.warmup),
  ]);
  return lastJson(r.out) ?? { error: r.err.slice(-500) };
}

async function raftkitRun(o, clients, op) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-raftkit-'));
  const up = spawn(
    process.execPath,
    [
      CLI,
      'up',
      '--json',
      '--data-dir',
      dir,
      '--client-ports',
      '33791,33792,33793',
      '--peer-ports',
      '33801,33802,33803',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const events = [];
  const ready = new Promise((resolve) => {
    createInterface({ input: up.stdout }).on('line', (line) => {
      const e = JSON.parse(line);
      events.push(e);
      if (e.event === 'ready' || e.event === 'no-leader') resolve(e);
    });
  });
  const exited = new Promise((r) => up.once('exit', r));
  /** A run without a leader keeps its data directory (the nodes' logs) for a post-mortem. */
  let failed = false;
  try {
    const e = await Promise.race([
      ready,
      new Promise((r) => setTimeout(() => r({ event: 'timeout' }), 40_000)),
    ]);
    if (e.event !== 'ready') {
      failed = true;
      const exits = events.filter((x) => x.event === 'exit');
      return {
        error: `no leader (${e.event}); node logs kept in ${join(dir, 'logs')}${exits.length > 0 ? `; exited by themselves: ${JSON.stringify(exits)}` : ''}`,
      };
    }
    const pids = events.filter((x) => x.event === 'node').map((x) => x.pid);
    const r = await run(process.execPath, [
      join(o.kvloadDir, 'kvload.mjs'),
      '--endpoints',
      'http://127.0.0.1:33791,http://127.0.0.1:33792,http://127.0.0.1:33793',
      '--cpu-pids',
      pids.join(','),
      '--clients',
      String(clients),
      '--op',
      op,
      '--seconds',
      String(o.seconds),
      '--warmup',
      String(o.warmup),
    ]);
    return lastJson(r.out) ?? { error: r.err.slice(-500) };
  } finally {
    up.kill('SIGINT');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (up.exitCode === null && up.signalCode === null) up.kill('SIGKILL');
    if (!failed) rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function summary(file) {
  const rows = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((r) => r.opsPerSec !== undefined);
  const points = [...new Set(rows.map((r) => `${r.clients}:${r.op}`))];
  console.log(`\nmedians over runs (${file})`);
  console.log(
    'clients op  | etcd ops/s  p99 ms | raftkit ops/s  p99 ms | ops ratio  p99 ratio | runs e/r | load avg e/r',
  );
  for (const p of points) {
    const [c, op] = p.split(':');
    const pick = (engine) =>
      rows.filter((r) => r.engine === engine && String(r.clients) === c && r.op === op);
    const e = pick('etcd');
    const k = pick('raftkit');
    if (e.length === 0 || k.length === 0) continue;
    const eo = median(e.map((r) => r.opsPerSec));
    const ko = median(k.map((r) => r.opsPerSec));
    const ep = median(e.map((r) => r.p99Ms));
    const kp = median(k.map((r) => r.p99Ms));
    const la = (xs) => median(xs.map((r) => r.loadAvg1)).toFixed(1);
    console.log(
      `${c.padStart(7)} ${op.padEnd(3)} | ${eo.toFixed(0).padStart(10)} ${ep.toFixed(1).padStart(7)} | ${ko
        .toFixed(0)
        .padStart(13)} ${kp.toFixed(1).padStart(7)} | ${(ko / eo).toFixed(2).padStart(8)}× ${(
        kp / ep
      )
        .toFixed(2)
        .padStart(8)}× | ${e.length}/${k.length}      | ${la(e)}/${la(k)}`,
    );
  }
}

const o = args();
if (!o.summaryOnly) {
  const matrix = o.matrix.split(',').map((s) => s.split(':'));
  console.log(`writing ${o.out}`);
  for (let rep = 1; rep <= o.reps; rep++) {
    for (const [c, op] of matrix) {
      // Alternate which engine goes first, so neither always runs on a warmer host.
      const order = rep % 2 ? ['etcd', 'raftkit'] : ['raftkit', 'etcd'];
      for (const engine of order) {
        const loadAvg1 = loadavg()[0];
        const result =
          engine === 'etcd' ? await etcdRun(o, Number(c), op) : await raftkitRun(o, Number(c), op);
        const row = {
          ...result,
          engine,
          rep,
          clients: Number(c),
          op,
          loadAvg1,
          loadAvgAfter1: loadavg()[0],
        };
        appendFileSync(o.out, `${JSON.stringify(row)}\n`);
        console.log(
          `rep ${rep} ${engine.padEnd(7)} c=${c} ${op}: ${row.opsPerSec?.toFixed(0) ?? 'ERR'} ops/s p99 ${row.p99Ms ?? '-'} ms errors ${row.errors ?? '-'} load ${loadAvg1.toFixed(1)} ${row.error ?? ''}`,
        );
      }
    }
  }
}
summary(o.out);
