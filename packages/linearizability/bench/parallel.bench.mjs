// Times checkOperations (in this thread) against checkOperationsParallel on a kv history in
// explain mode (every partition is checked), with a cache bound so that the heavy partitions end
// (as `unknown`, cache-limit) instead of running for minutes. Median of RUNS runs each.
// Usage: node bench/parallel.bench.mjs [--workers 2] [--runs 5] [--file kv/c50-bad.txt]
//        [--max-cache 300000] [--timeout 30000] [--dir path]
// Needs a build first (`npx tsup`). Measure on an idle machine (1-minute load below ~1.2).
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkOperations, checkOperationsParallel, kvModel, parseKvLog } from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
};
const workers = Number(flag('--workers', '2'));
const runs = Number(flag('--runs', '5'));
const file = flag('--file', 'kv/c50-bad.txt');
const maxCacheEntries = Number(flag('--max-cache', '300000'));
const timeoutMs = Number(flag('--timeout', '30000'));
const dir = resolve(
  flag('--dir', process.env.RAFTKIT_CONFORMANCE_DIR ?? join(here, '../test/fixtures/porcupine')),
);
const path = join(dir, file);
if (!existsSync(path)) {
  console.error(`no ${file} in ${dir}; pass --dir or set RAFTKIT_CONFORMANCE_DIR`);
  process.exit(3);
}
const { operations } = parseKvLog(readFileSync(path, 'utf8'));
const options = { explain: true, maxCacheEntries, timeoutMs };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const summary = (result) => {
  const count = (v) => result.partitions.filter((p) => p.verdict === v).length;
  return `${result.verdict}: ${count('ok')} ok, ${count('illegal')} illegal, ${count('unknown')} unknown`;
};
async function time(name, check) {
  const first = await check();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await check();
    times.push(performance.now() - t0);
  }
  const ms = median(times);
  console.log(
    `${name.padEnd(22)} ${ms.toFixed(0).padStart(7)} ms  (best ${Math.min(...times).toFixed(0)} ms)  ${summary(first)}`,
  );
  return first;
}

console.log(
  `${file}: ${operations.length} operations; explain, maxCacheEntries ${maxCacheEntries}, timeout ${timeoutMs} ms`,
);
console.log(
  `node ${process.version}, ${os.availableParallelism()} cores, median of ${runs} runs after 1 warm-up; load average ${os.loadavg()[0].toFixed(2)}`,
);
const a = await time('in-thread', () => checkOperations(kvModel, operations, options));
const b = await time(`${workers} worker(s)`, () =>
  checkOperationsParallel('kv', operations, { ...options, workers }),
);
if (a.verdict !== b.verdict) {
  console.log(`MISMATCH: in-thread ${a.verdict}, parallel ${b.verdict}`);
  process.exit(1);
}
