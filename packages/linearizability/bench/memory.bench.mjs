// Time and peak memory of raftkit-check per file, beside porcupine's on the same files, on the hard
// histories: the shared porcupine set and generated long single-key and many-client histories.
// Each file is checked in its own process (raftkit first, then porcupine, alternating file by
// file), with a time limit; a watchdog stops porcupine when its resident memory passes --cap
// (porcupine has no bound of its own, so it would be killed by the kernel instead).
//
// Usage (after `npx tsup`): node bench/memory.bench.mjs [--quick] [--timeout 120000] [--cap 16G]
//   [--budget 8G] [--dir /tmp/raftkit-hard] [--only name,name]
// Porcupine runs when `go` is installed and $PORCUPINE_DIR is a checkout of
// github.com/anishathalye/porcupine (bench/porcupine-ref is built against it); otherwise its
// columns say "not run" and the verdicts in VERDICTS.tsv stand in for the shared set.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
};
const quick = args.includes('--quick');
const timeoutMs = Number(flag('--timeout', quick ? '30000' : '120000'));
const bytes = (s) => {
  const m = /^(\d+(?:\.\d+)?)([KMG]?)$/i.exec(s);
  return Number(m[1]) * 1024 ** ({ K: 1, M: 2, G: 3 }[m[2].toUpperCase()] ?? 0);
};
const cap = bytes(flag('--cap', '16G'));
const budget = flag('--budget', undefined);
const dir = resolve(flag('--dir', '/tmp/raftkit-hard'));
const only = flag('--only', undefined)?.split(',');
const cli = join(here, '../dist/cli.js');
const conformance = resolve(
  process.env.RAFTKIT_CONFORMANCE_DIR ?? join(here, '../../../../shared/conformance/porcupine'),
);
mkdirSync(dir, { recursive: true });

// The generated set: [name, gen-history flags].
const generated = [
  ['k1-c8-1e4', '--ops 10000 --clients 8 --keys 1'],
  ['k1-c8-1e4-bad', '--ops 10000 --clients 8 --keys 1 --bad'],
  ['k1-c8-1e5', '--ops 100000 --clients 8 --keys 1'],
  ['k1-c8-1e5-bad', '--ops 100000 --clients 8 --keys 1 --bad'],
  ['k1-c16-1e4-append', '--ops 10000 --clients 16 --keys 1 --appends 0.3'],
  ['k1-c64-1e4', '--ops 10000 --clients 64 --keys 1'],
  ['k10-c50-1e5-append', '--ops 100000 --clients 50 --keys 10 --appends 0.3'],
  ['k1-c8-1e6', '--ops 1000000 --clients 8 --keys 1'],
  ['k1000-c16-1e6', '--ops 1000000 --clients 16 --keys 1000 --appends 0.3'],
].filter(([name]) => (only ? only.includes(name) : !quick || !name.includes('1e6')));

const files = [];
if (existsSync(join(conformance, 'VERDICTS.tsv')) && !only) {
  for (const line of readFileSync(join(conformance, 'VERDICTS.tsv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)) {
    const [file, , expected] = line.split('\t');
    if (!file.startsWith('kv/')) continue; // the Jepsen logs take milliseconds: see conformance.bench
    files.push({ name: file, path: join(conformance, file), expected, json: false });
  }
}
for (const [name, flags] of generated) {
  const path = join(dir, `${name}.json`);
  if (!existsSync(path)) {
    execFileSync(process.execPath, [
      join(here, 'gen-history.mjs'),
      ...flags.split(' '),
      '--out',
      path,
    ]);
  }
  files.push({ name, path, expected: name.endsWith('-bad') ? 'illegal' : 'ok', json: true });
}

// porcupine-ref, built once when possible.
let porcupine;
if (process.env.PORCUPINE_DIR && existsSync(process.env.PORCUPINE_DIR)) {
  const out = join(dir, 'porcupine-ref');
  try {
    const src = join(here, 'porcupine-ref');
    const modfile = join(dir, 'go.mod');
    execFileSync('cp', [join(src, 'go.mod'), modfile]);
    execFileSync(
      'go',
      [
        'mod',
        'edit',
        '-modfile',
        modfile,
        '-replace',
        `github.com/anishathalye/porcupine=${process.env.PORCUPINE_DIR}`,
      ],
      { cwd: src },
    );
    execFileSync('go', ['build', '-modfile', modfile, '-o', out, '.'], {
      cwd: src,
      env: { ...process.env, GOFLAGS: '-mod=mod', GOPROXY: 'off' },
      stdio: 'pipe',
    });
    porcupine = out;
  } catch (error) {
    console.error(`porcupine-ref did not build: ${error.stderr ?? error.message}`);
  }
}

/** Runs a command, sampling its resident memory; kills it past `cap`. */
function run(cmd, argv) {
  return new Promise((resolveRun) => {
    const started = performance.now();
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let peak = 0;
    let killed = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', () => {});
    const timer = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
        peak = Math.max(peak, rss);
        if (rss > cap) {
          killed = `killed at ${(rss / 1024 ** 3).toFixed(1)} GB`;
          child.kill('SIGKILL');
        }
      } catch {}
    }, 50);
    child.on('exit', (code) => {
      clearInterval(timer);
      resolveRun({ code, stdout, peak, killed, wallMs: performance.now() - started });
    });
  });
}

const gb = (b) =>
  b >= 1024 ** 3 ? `${(b / 1024 ** 3).toFixed(2)} GB` : `${(b / 1024 ** 2).toFixed(0)} MB`;
const rows = [];
for (const f of files) {
  const rk = await run(process.execPath, [
    cli,
    f.path,
    '--json',
    '--no-progress',
    '--timeout',
    String(timeoutMs),
    ...(budget ? ['--memory', budget] : []),
  ]);
  let r = {};
  try {
    r = JSON.parse(rk.stdout.split('\n')[0]);
  } catch {}
  const raft = {
    verdict: r.verdict ?? `exit ${rk.code}`,
    reason: [
      ...new Set((r.partitions ?? []).filter((p) => p.verdict === 'unknown').map((p) => p.reason)),
    ].join(','),
    ms: r.elapsedMs,
    peak: Math.max(rk.peak, r.maxRssBytes ?? 0),
    budget: r.memoryBudgetBytes,
    ops: r.operations,
    keys: r.partitions?.length,
  };
  let porc = { verdict: 'not run' };
  if (porcupine && f.json) {
    const pr = await run(porcupine, [f.path, String(timeoutMs)]);
    let p = {};
    try {
      p = JSON.parse(pr.stdout);
    } catch {}
    porc = pr.killed
      ? { verdict: pr.killed, ms: pr.wallMs, peak: pr.peak }
      : {
          verdict: p.verdict ?? `exit ${pr.code}`,
          ms: p.ms,
          peak: Math.max(pr.peak, p.maxRssBytes ?? 0),
        };
  } else if (!f.json) {
    porc = { verdict: `${f.expected} (VERDICTS.tsv)` };
  }
  const row = {
    file: f.name,
    size: statSync(f.path).size,
    ops: raft.ops,
    keys: raft.keys,
    raft,
    porc,
  };
  rows.push(row);
  console.error(
    `${f.name}: raftkit ${raft.verdict}${raft.reason ? ` (${raft.reason})` : ''} ${raft.ms?.toFixed(0)} ms ${gb(raft.peak)} · porcupine ${porc.verdict} ${porc.ms?.toFixed(0) ?? ''} ms ${porc.peak ? gb(porc.peak) : ''}`,
  );
}

console.log(
  `\nraftkit-check vs porcupine (time limit ${timeoutMs / 1000} s each, porcupine stopped past ${gb(cap)}; raftkit memory budget ${budget ?? 'default (half the machine)'})\n`,
);
console.log(
  '| file | ops | keys | raftkit verdict | raftkit check | raftkit peak RSS | porcupine verdict | porcupine check | porcupine peak RSS | time ratio (porcupine/raftkit) |',
);
console.log('|---|---:|---:|---|---:|---:|---|---:|---:|---:|');
for (const { file, ops, keys, raft, porc } of rows) {
  const ratio = raft.ms && porc.ms ? (porc.ms / raft.ms).toFixed(1) : '';
  console.log(
    `| ${file} | ${ops ?? ''} | ${keys ?? ''} | ${raft.verdict}${raft.reason ? ` (${raft.reason})` : ''} | ${raft.ms === undefined ? '' : `${(raft.ms / 1000).toFixed(2)} s`} | ${gb(raft.peak)} | ${porc.verdict} | ${porc.ms === undefined ? '' : `${(porc.ms / 1000).toFixed(2)} s`} | ${porc.peak ? gb(porc.peak) : ''} | ${ratio} |`,
  );
}
