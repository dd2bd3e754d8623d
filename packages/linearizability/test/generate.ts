import type { KvInput, KvOutput, Operation } from '../src/index.js';

/**
 * A generated kv history (as bench/gen-history.mjs): `clients` clients issue operations back to
 * back with random durations; each takes effect at a random instant inside its interval, and
 * outputs follow from that order, so the history is linearizable. Times are fractional (1/8).
 */
export function generateKv(options: {
  ops: number;
  clients: number;
  keys: number;
  values?: number;
  appends?: number;
  seed?: number;
}): Operation<KvInput, KvOutput>[] {
  const { ops, clients, keys } = options;
  const values = options.values ?? 4;
  const appends = options.appends ?? 0;
  let seed = (options.seed ?? 1) >>> 0;
  const rand = () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const next = new Float64Array(clients);
  const pending: (Operation<KvInput, KvOutput> & { at: number })[] = [];
  for (let i = 0; i < ops; i++) {
    const client = Math.floor(rand() * clients);
    const call = next[client]! + Math.round(rand() * 8) / 8;
    const duration = 1 + Math.round(rand() * 320) / 8;
    next[client] = call + duration + 0.125;
    const key = String(Math.floor(rand() * keys));
    const r = rand();
    const input: KvInput =
      r < 0.5
        ? { op: 'get', key }
        : r < 0.5 + appends
          ? { op: 'append', key, value: `x${client}.${i}y` }
          : { op: 'put', key, value: String(Math.floor(rand() * values)) };
    pending.push({
      client,
      input,
      call,
      output: {},
      return: call + duration,
      at: call + rand() * duration,
    });
  }
  const state = new Map<string, string>();
  for (const o of [...pending].sort((a, b) => a.at - b.at)) {
    const cur = state.get(o.input.key) ?? '';
    if (o.input.op === 'get') o.output = { value: cur };
    else state.set(o.input.key, o.input.op === 'put' ? o.input.value : cur + o.input.value);
  }
  return pending.sort((a, b) => a.call - b.call).map(({ at: _at, ...op }) => op);
}
