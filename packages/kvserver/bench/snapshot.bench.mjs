// Snapshot encoding: time and bytes against the store's size, new format vs the previous one.
// Run after a build: node bench/snapshot.bench.mjs
//
// "new": KvStateMachine.snapshot() (varint/latin1 format, one exact-size buffer).
// "old": the encoding before it, msgpack of [index, [...store], [...lastSeq]], on the same
// keys and values, measured in the same run, alternating, so the ratio holds under noise.
// Linear means ns per stored byte stays flat as the store grows.
import { msgpackCodec } from '@raftkit/codec';
import { KvStateMachine } from '../dist/index.js';

const ROUNDS = Number(process.env.ROUNDS ?? 5);

function build(keys, valueBytes, clients) {
  const sm = new KvStateMachine();
  const store = new Map();
  const lastSeq = new Map();
  for (let i = 0; i < keys; i++) {
    const key = `key-${i}`;
    const value = 'x'.repeat(valueBytes - 8) + String(i).padStart(8, '0');
    sm.apply({
      kind: 'put',
      clientId: `c${i % clients}`,
      seq: Math.floor(i / clients) + 1,
      key,
      value,
    });
    store.set(key, value);
    lastSeq.set(`c${i % clients}`, Math.floor(i / clients) + 1);
  }
  return { sm, store, lastSeq };
}

function time(fn, budgetBytes) {
  let bytes = fn().length; // warm
  const reps = Math.max(3, Math.round(4e7 / budgetBytes));
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < reps; r++) bytes = fn().length;
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6 / reps, bytes };
}

console.log(
  'keys     value  clients | old ms    old B      | new ms    new B      | new ns/B | old/new time',
);
for (const [keys, valueBytes, clients] of [
  [1_000, 100, 20],
  [10_000, 100, 20],
  [100_000, 100, 100],
  [20, 50_000, 20],
  [20, 500_000, 20],
]) {
  const { sm, store, lastSeq } = build(keys, valueBytes, clients);
  const payload = keys * (valueBytes + 10);
  const olds = [];
  const news = [];
  for (let round = 0; round < ROUNDS; round++) {
    olds.push(time(() => msgpackCodec.encode([7, [...store], [...lastSeq]]), payload));
    news.push(time(() => sm.snapshot(7), payload));
  }
  const med = (xs) => xs.map((x) => x.ms).sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const o = med(olds);
  const n = med(news);
  const restored = new KvStateMachine();
  restored.restore(sm.snapshot(7));
  if (restored.hash() !== sm.hash()) throw new Error('restore changed the store');
  console.log(
    `${String(keys).padStart(7)} ${String(valueBytes).padStart(7)} ${String(clients).padStart(7)} | ` +
      `${o.toFixed(3).padStart(8)} ${String(olds[0].bytes).padStart(10)} | ` +
      `${n.toFixed(3).padStart(8)} ${String(news[0].bytes).padStart(10)} | ` +
      `${((n * 1e6) / news[0].bytes).toFixed(2).padStart(8)} | ${(o / n).toFixed(2)}x`,
  );
}
