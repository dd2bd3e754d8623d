import { describe, expect, it } from 'vitest';
import {
  type Model,
  type NondeterministicModel,
  ILLEGAL,
  checkOperations,
  fromNondeterministic,
  kvModel,
  partialLinearizationOf,
} from '../src/index.js';
import { generateKv } from './generate.js';
import { op } from './helpers.js';

// A history whose search space is large: n concurrent increments with unknown outcomes, then reads
// of a value no order gives, so every subset of increments is tried.
const counter: Model<number, { op: 'inc' } | { op: 'read' }, { value: number }> = {
  name: 'counter',
  init: () => 0,
  step: (s, input, output) =>
    input.op === 'inc' ? s + 1 : output === undefined || output.value === s ? s : ILLEGAL,
};
const hard = (n: number) => [
  ...Array.from({ length: n }, (_, i) => op(i, { op: 'inc' as const }, 0, undefined, null)),
  op(n, { op: 'read' as const }, 1, { value: n + 1 }, 2),
];

describe('budgets', () => {
  it('a memory budget ends the check as unknown (memory-limit) with the reason, never a crash', () => {
    const history = hard(22);
    const rss = process.memoryUsage.rss();
    // Room for about 2 MB of cache above what the process holds now.
    const result = checkOperations(counter, history, { memoryBudgetBytes: rss + 2 ** 21 });
    expect(result.verdict).toBe('unknown');
    const p = result.partitions[0]!;
    expect(p.reason).toBe('memory-limit');
    expect(p.detail).toMatch(/memory budget/);
    // The guard counts from the resident size when the check starts, which a garbage collection
    // in between can leave a few MB below `rss` (CI saw 4.7 MB of cache once). The whole search
    // would cache about 4 million subsets, tens of bytes each: 16 MB shows the budget stopped it.
    expect(p.cacheBytes).toBeLessThanOrEqual(16 * 2 ** 20);
    expect(result.memoryBudgetBytes).toBe(rss + 2 ** 21);
  });

  it('the cache costs tens of bytes an entry however long the history is', () => {
    const ops = generateKv({ ops: 8_000, clients: 8, keys: 1, seed: 5 });
    const bad = [...ops];
    const firstGet = bad.findIndex((o, i) => i >= 7_000 && o.input.op === 'get');
    bad[firstGet] = { ...bad[firstGet]!, output: { value: 'never' } };
    const result = checkOperations(kvModel, bad);
    expect(result.verdict).toBe('illegal');
    const p = result.partitions[0]!;
    // An n-bit set alone would be 1,000 bytes an entry here.
    expect(p.cacheBytes / p.cacheEntries).toBeLessThan(120);
  });

  it('a step budget gives the same verdict and steps on every run (deterministic)', () => {
    const runs = [1, 2, 3].map(() => checkOperations(counter, hard(20), { maxSteps: 50_000 }));
    for (const r of runs) {
      expect(r.verdict).toBe('unknown');
      expect(r.partitions[0]!.reason).toBe('step-limit');
      expect(r.partitions[0]!.detail).toMatch(/step budget of 50000/);
      expect(r.steps).toBe(runs[0]!.steps);
      expect(r.partitions[0]!.linearization).toEqual(runs[0]!.partitions[0]!.linearization);
    }
    expect(runs[0]!.steps).toBeGreaterThanOrEqual(50_000);
    expect(runs[0]!.steps).toBeLessThan(52_000);
    // Enough steps: decided.
    expect(checkOperations(counter, hard(6), { maxSteps: 1e6 }).verdict).toBe('illegal');
  });

  it('reports progress through onProgress', () => {
    const seen: number[] = [];
    checkOperations(counter, hard(20), {
      maxSteps: 3_000_000,
      progressIntervalMs: 1,
      onProgress: (p) => seen.push(p.steps),
    });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });
});

describe('porcupine parity', () => {
  it('checks nondeterministic models (a step may lead to several states)', () => {
    // A register whose write may be lost: write(v) leads to v or leaves the old value.
    type In = { op: 'write'; value: number } | { op: 'read' };
    const lossy: NondeterministicModel<number, In, { value?: number }> = {
      name: 'lossy-register',
      init: () => [0],
      step: (s, input, output) =>
        input.op === 'write' ? [s, input.value] : output?.value === s ? [s] : [],
    };
    const model = fromNondeterministic(lossy);
    const w = (v: number, c: number, t: number) =>
      op(c, { op: 'write' as const, value: v }, t, {}, t + 1);
    const r = (v: number, c: number, t: number) =>
      op(c, { op: 'read' as const }, t, { value: v }, t + 1);
    expect(checkOperations(model, [w(1, 0, 0), r(0, 1, 5), r(1, 1, 10)]).verdict).toBe('illegal');
    expect(checkOperations(model, [w(1, 0, 0), r(0, 1, 5), w(2, 0, 6), r(2, 1, 10)]).verdict).toBe(
      'ok',
    );
    const result = checkOperations(model, [w(1, 0, 0), r(1, 1, 5), r(0, 1, 10)]);
    expect(result.verdict).toBe('illegal');
    expect(result.partitions[0]!.states.map((s) => [...s])).toEqual([[1]]);
  });

  it('gives each operation its longest partial linearization', () => {
    const h = [
      op(0, { op: 'put' as const, key: 'k', value: 'a' }, 0, {}, 10),
      op(1, { op: 'get' as const, key: 'k' }, 2, { value: 'a' }, 12),
      op(2, { op: 'put' as const, key: 'k', value: 'b' }, 20, {}, 30),
      op(1, { op: 'get' as const, key: 'k' }, 40, { value: 'a' }, 50),
    ];
    const result = checkOperations(kvModel, h, { partialLinearizations: true });
    const p = result.partitions[0]!;
    expect(p.verdict).toBe('illegal');
    expect(partialLinearizationOf(p, 1)).toEqual([0, 1, 2]);
    expect(partialLinearizationOf(p, 2)).toEqual([0, 1, 2]);
    expect(partialLinearizationOf(p, 3)).toEqual([]);
    // Without the option nothing is recorded; an ok partition's is its linearization.
    expect(checkOperations(kvModel, h).partitions[0]!.partial).toBeUndefined();
    const ok = checkOperations(kvModel, h.slice(0, 3), { partialLinearizations: true });
    expect(partialLinearizationOf(ok.partitions[0]!, 2)).toEqual([0, 1, 2]);
  });

  it('accepts fractional times (virtual milliseconds)', () => {
    const h = [
      op(0, { op: 'put' as const, key: 'k', value: 'a' }, 0.25, {}, 1.5),
      op(1, { op: 'get' as const, key: 'k' }, 1.5, { value: '' }, 2.75),
    ];
    // Touching at 1.5: concurrent, so the read may come first.
    expect(checkOperations(kvModel, h).verdict).toBe('ok');
    h[1] = { ...h[1]!, call: 1.625 };
    expect(checkOperations(kvModel, h).verdict).toBe('illegal');
  });
});
