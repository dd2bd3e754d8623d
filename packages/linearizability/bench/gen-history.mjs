// Writes a generated kv history (the documented JSON format, one operation per line) for the
// memory and speed benchmarks. Clients overlap: each operation lasts a random time and takes
// effect at a random instant inside it; outputs follow from applying the operations in that
// order, so the history is linearizable unless --bad corrupts a read near the end.
// Usage: node bench/gen-history.mjs --ops 100000 --clients 8 --keys 1 [--values 4] [--appends 0.1]
//          [--bad] [--open 0] [--seed 1] > history.json
// Times are virtual milliseconds with fractions (e.g. 12.375).
import { createWriteStream } from 'node:fs';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
};
const ops = Number(flag('--ops', '10000'));
const clients = Number(flag('--clients', '8'));
const keys = Number(flag('--keys', '1'));
const values = Number(flag('--values', '4'));
const appends = Number(flag('--appends', '0'));
const openRate = Number(flag('--open', '0'));
const bad = args.includes('--bad');
const out = flag('--out', undefined);
let seed = Number(flag('--seed', '1')) >>> 0;

// mulberry32
const rand = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

// Each client issues its operations back to back; durations overlap across clients.
const pending = [];
const next = new Float64Array(clients);
for (let i = 0; i < ops; i++) {
  const client = Math.floor(rand() * clients);
  const call = next[client] + Math.round(rand() * 8) / 8;
  const duration = 1 + Math.round(rand() * 40 * 8) / 8;
  const ret = call + duration;
  next[client] = ret + 0.125;
  const key = String(Math.floor(rand() * keys));
  const r = rand();
  const kind = r < 0.5 ? 'get' : r < 0.5 + appends ? 'append' : 'put';
  const value =
    kind === 'get'
      ? ''
      : kind === 'append'
        ? `x${client}.${i}y`
        : String(Math.floor(rand() * values));
  const at = call + rand() * duration;
  const open = kind !== 'get' && rand() < openRate;
  pending.push({ client, key, kind, value, call, ret: open ? null : ret, at, open });
}
// Apply in order of the instants at which they take effect. An open write may never happen.
const byEffect = pending.map((_, i) => i).sort((a, b) => pending[a].at - pending[b].at);
const state = new Map();
for (const i of byEffect) {
  const o = pending[i];
  if (o.open && rand() < 0.5) continue;
  const cur = state.get(o.key) ?? '';
  if (o.kind === 'get') o.output = cur;
  else if (o.kind === 'put') state.set(o.key, o.value);
  else state.set(o.key, cur + o.value);
}
if (bad) {
  // A read in the last tenth returns a value that was never written there.
  for (let i = Math.floor(ops * 0.9); i < ops; i++) {
    if (pending[i].kind === 'get') {
      pending[i].output = `${pending[i].output}!`;
      break;
    }
  }
}
pending.sort((a, b) => a.call - b.call);
const stream = out ? createWriteStream(out) : process.stdout;
stream.write('{"model": "kv", "operations": [\n');
for (let i = 0; i < pending.length; i++) {
  const o = pending[i];
  const input =
    o.kind === 'get' ? { op: 'get', key: o.key } : { op: o.kind, key: o.key, value: o.value };
  const output = o.open ? null : o.kind === 'get' ? { value: o.output } : {};
  const line = JSON.stringify({ client: o.client, input, call: o.call, output, return: o.ret });
  if (!stream.write(i + 1 < pending.length ? `${line},\n` : `${line}\n`)) {
    await new Promise((resolve) => stream.once('drain', resolve));
  }
}
stream.write(']}\n');
if (out) stream.end();
