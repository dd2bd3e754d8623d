// Durable appends per second and latency percentiles, DiskPersister against the
// physical limit (a raw write + fdatasync loop on the same file system) and
// lmdb-js with overlappingSync: false (a put resolves after its commit is
// flushed), for 1, 16, 64 and 256 concurrent appenders of 128-byte entries. The raw
// loop runs twice: appending to a growing file (raw) and over a file pre-filled with
// zeros and synced (raw0, what the WAL's preallocation does).
// Run: node scripts/pnpm.mjs --filter @raftkit/persister run bench   (after a build)
// Options (env): BENCH_MS (per measurement, default 1000), BENCH_ROUNDS (default 5),
// BENCH_DIR (default: os.tmpdir()). Rounds alternate the order of the systems;
// the table reports, per cell, the median round.
import { mkdtempSync, rmSync } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open as openLmdb } from 'lmdb';
import { DiskPersister } from '../dist/index.js';

const MS = Number(process.env.BENCH_MS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BASE = process.env.BENCH_DIR ?? tmpdir();
const CONCURRENCY = [1, 16, 64, 256];
const ENTRY = 128;
/** Zeros written ahead for the pre-zeroed raw loop (it grows the file past them, if ever). */
const PREZEROED_MIB = 32;

/** Runs `appenders` loops of `op` for MS ms; returns appends/s and latency percentiles (ms). */
async function drive(appenders, op) {
  const lat = [];
  const deadline = performance.now() + MS;
  const t0 = performance.now();
  let done = 0;
  await Promise.all(
    Array.from({ length: appenders }, async () => {
      while (performance.now() < deadline) {
        const s = performance.now();
        await op();
        lat.push(performance.now() - s);
        done += 1;
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  const pct = (p) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))];
  return { rate: done / secs, p50: pct(50), p99: pct(99) };
}

async function wal(appenders) {
  const dir = mkdtempSync(join(BASE, 'raftkit-bench-wal-'));
  const p = await DiskPersister.open({ dir });
  const command = new Uint8Array(ENTRY).fill(7);
  let next = 1;
  const r = await drive(appenders, () => {
    const i = next++;
    return p.save({ append: { firstIndex: i, entries: [{ term: 1, command }] } });
  });
  await p.close();
  rmSync(dir, { recursive: true, force: true });
  return r;
}

/**
 * The physical limit: each append is one pwrite and one fdatasync, no batching. `preZeroedMiB`:
 * over a file first filled with that many MiB of zeros and synced (what preallocation buys).
 */
async function rawLoop(appenders, preZeroedMiB) {
  const dir = mkdtempSync(join(BASE, 'raftkit-bench-raw-'));
  const fh = await openFile(join(dir, 'log'), 'w');
  if (preZeroedMiB > 0) {
    const zeros = new Uint8Array(1 << 20);
    for (let i = 0; i < preZeroedMiB; i++) await fh.write(zeros, 0, zeros.length, i << 20);
    await fh.datasync();
  }
  const buf = new Uint8Array(ENTRY + 8).fill(7);
  let at = 0;
  const r = await drive(appenders, async () => {
    const pos = at;
    at += buf.length;
    await fh.write(buf, 0, buf.length, pos);
    await fh.datasync();
  });
  await fh.close();
  rmSync(dir, { recursive: true, force: true });
  return r;
}

const raw = (appenders) => rawLoop(appenders, 0);
const raw0 = (appenders) => rawLoop(appenders, PREZEROED_MIB);

async function lmdb(appenders) {
  const dir = mkdtempSync(join(BASE, 'raftkit-bench-lmdb-'));
  const db = openLmdb({ path: join(dir, 'db'), overlappingSync: false, compression: false });
  const value = new Uint8Array(ENTRY).fill(7);
  let next = 1;
  const r = await drive(appenders, () => db.put(next++, value));
  await db.close();
  rmSync(dir, { recursive: true, force: true });
  return r;
}

const systems = { wal, raw, raw0, lmdb };
const results = {}; // results[system][c] = [round results]
for (let round = 0; round < ROUNDS; round++) {
  const order = Object.keys(systems);
  for (let k = 0; k < round % order.length; k++) order.push(order.shift());
  for (const c of CONCURRENCY) {
    for (const name of order) {
      const r = await systems[name](c);
      results[name] ??= {};
      results[name][c] ??= [];
      results[name][c].push(r);
      process.stderr.write(`round ${round + 1} ${name} c=${c}: ${Math.round(r.rate)}/s\n`);
    }
  }
}
const median = (rs) => [...rs].sort((a, b) => a.rate - b.rate)[Math.floor(rs.length / 2)];
const f = (n) => Math.round(n).toLocaleString('en-US');
const ms = (n) => n.toFixed(2);
console.log(`node ${process.version}, ${MS} ms per cell, median of ${ROUNDS} rounds, dir ${BASE}`);
console.log(
  'appenders | wal appends/s (p50/p99 ms) | raw write+fdatasync/s (p50/p99) | raw over pre-zeroed file/s (p50/p99) | lmdb sync puts/s (p50/p99) | wal/raw | wal/raw0 | wal/lmdb',
);
for (const c of CONCURRENCY) {
  const w = median(results.wal[c]);
  const r = median(results.raw[c]);
  const z = median(results.raw0[c]);
  const l = median(results.lmdb[c]);
  console.log(
    `${String(c).padStart(9)} | ${f(w.rate)} (${ms(w.p50)}/${ms(w.p99)}) | ${f(r.rate)} (${ms(r.p50)}/${ms(r.p99)}) | ${f(z.rate)} (${ms(z.p50)}/${ms(z.p99)}) | ${f(l.rate)} (${ms(l.p50)}/${ms(l.p99)}) | ${(w.rate / r.rate).toFixed(2)} | ${(w.rate / z.rate).toFixed(2)} | ${(w.rate / l.rate).toFixed(2)}`,
  );
}
