// Times the check of every porcupine conformance history (parsing excluded), porcupine-style:
// one warm-up and RUNS timed runs per file, median per file, summed per set (and the sum of
// each file's best run).
// Usage: node bench/conformance.bench.mjs [--runs 9] [--dir path] [--cpu-profile]
// Needs a build first (`npx tsup`). The folder defaults to the committed
// test/fixtures/porcupine, or $RAFTKIT_CONFORMANCE_DIR.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkOperations, etcdModel, kvModel, parseJepsenLog, parseKvLog } from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
};
const runs = Number(flag('--runs', '9'));
const dir = resolve(
  flag('--dir', process.env.RAFTKIT_CONFORMANCE_DIR ?? join(here, '../test/fixtures/porcupine')),
);
if (!existsSync(join(dir, 'VERDICTS.tsv'))) {
  console.error(`no VERDICTS.tsv in ${dir}; pass --dir or set RAFTKIT_CONFORMANCE_DIR`);
  process.exit(3);
}
const rows = readFileSync(join(dir, 'VERDICTS.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split('\t'))
  .map(([file, model, expected]) => ({ file, model, expected }));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const results = [];
let missing = 0;
for (const row of rows) {
  const path = join(dir, row.file);
  if (!existsSync(path)) {
    missing++;
    continue;
  }
  const text = readFileSync(path, 'utf8');
  const history = row.model === 'etcd' ? parseJepsenLog(text) : parseKvLog(text);
  const model = row.model === 'etcd' ? etcdModel : kvModel;
  const first = checkOperations(model, history.operations);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    checkOperations(model, history.operations);
    times.push(performance.now() - t0);
  }
  results.push({ ...row, verdict: first.verdict, ms: median(times), best: Math.min(...times) });
}

const fmt = (ms) => `${ms.toFixed(1)} ms`;
const sets = [
  ['jepsen etcd logs', (r) => r.model === 'etcd'],
  ['kv logs (partitioned)', (r) => r.model === 'kv'],
  ['all', () => true],
];
console.log(`porcupine conformance benchmark: ${dir}`);
console.log(
  `node ${process.version}, median of ${runs} runs after 1 warm-up, check only (parse excluded); load average ${os.loadavg()[0].toFixed(2)}`,
);
for (const [name, pick] of sets) {
  const subset = results.filter(pick);
  const total = subset.reduce((sum, r) => sum + r.ms, 0);
  const best = subset.reduce((sum, r) => sum + r.best, 0);
  console.log(
    `${name.padEnd(24)} ${String(subset.length).padStart(3)} files  ${fmt(total).padStart(10)}  (best ${fmt(best)})`,
  );
}
console.log('slowest files:');
for (const r of [...results].sort((a, b) => b.ms - a.ms).slice(0, 8)) {
  console.log(
    `  ${r.file.padEnd(22)} ${r.verdict.padEnd(8)} ${fmt(r.ms).padStart(10)}  (best ${fmt(r.best)})`,
  );
}
const wrong = results.filter((r) => r.verdict !== r.expected);
for (const r of wrong) console.log(`MISMATCH ${r.file}: expected ${r.expected}, got ${r.verdict}`);
if (missing > 0)
  console.log(`note: ${missing} files listed in VERDICTS.tsv are missing from ${dir}`);
if (wrong.length > 0) process.exit(1);
