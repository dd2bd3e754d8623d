import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  type KvInput,
  type KvOutput,
  type Model,
  type Operation,
  checkOperations,
  kvModel,
  parseHistoryJson,
} from '../src/index.js';
import { packageRoot } from './helpers.js';

type KvOp = { input: KvInput; output: KvOutput | undefined };
const pairs = (ops: KvOp[]) => [...kvModel.mustPrecede!(ops)];
const put = (value: string): KvOp => ({ input: { op: 'put', key: 'k', value }, output: {} });
const append = (value: string): KvOp => ({
  input: { op: 'append', key: 'k', value },
  output: {},
});
const get = (value: string | undefined): KvOp => ({
  input: { op: 'get', key: 'k' },
  output: value === undefined ? undefined : { value },
});
/** The kv model without its must-precede pairs: plain Wing & Gong search. */
const plainKv: Model<unknown, KvInput, KvOutput> = { ...kvModel, mustPrecede: undefined } as never;

describe('kv model: must-precede pairs read off the gets', () => {
  it('orders the writes a get saw, in the order it saw them, before the get', () => {
    const ops = [put('p;'), append('a;'), append('b;'), get('p;a;b;')];
    expect(pairs(ops)).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
  });

  it('orders nothing for a get whose value splits in two ways', () => {
    // "ab" is one append or "a" then "b".
    expect(pairs([append('a'), append('b'), append('ab'), get('ab')])).toEqual([]);
  });

  it('orders nothing when a value is written twice or is empty', () => {
    expect(pairs([append('a;'), append('a;'), append('b;'), get('a;b;')])).toEqual([]);
    expect(pairs([append(''), append('b;'), get('b;')])).toEqual([]);
  });

  it('never places a put after the start, nor the same write twice', () => {
    // A put resets the value, so "a;p;" cannot be append a then put p: no pairs.
    expect(pairs([append('a;'), put('p;'), get('a;p;')])).toEqual([]);
    expect(pairs([append('a;'), get('a;a;')])).toEqual([]);
  });

  it('skips gets with an unknown output and gets that returned ""', () => {
    expect(pairs([append('a;'), get(undefined), get('')])).toEqual([]);
  });

  it('a model whose pairs name a missing operation is refused with a typed error', () => {
    const bad = { ...kvModel, mustPrecede: () => [[0, 7] as const] } as never;
    const ops: Operation<KvInput, KvOutput>[] = [
      { client: 0, input: { op: 'get', key: 'k' }, call: 0, output: { value: '' }, return: 1 },
    ];
    expect(() => checkOperations(bad, ops)).toThrow(InvalidArgumentError);
    expect(() => checkOperations(bad, ops)).toThrow(/mustPrecede\(\) returned \[0, 7\]/);
  });
});

/**
 * Single-key histories with unique appended and put values, made by running the model (so
 * linearizable), then optionally spoiled: one get's value has two written pieces swapped or one
 * piece dropped, which may or may not still be linearizable. The plain search decides these
 * small histories exactly; with the pairs the verdict must be the same.
 */
describe('kv model: the pairs never change a verdict', () => {
  const spec = fc.array(
    fc.record({
      client: fc.integer({ min: 0, max: 4 }),
      kind: fc.constantFrom('get', 'get', 'append', 'append', 'append', 'put'),
      gap: fc.integer({ min: 0, max: 4 }),
      duration: fc.integer({ min: 2, max: 40 }),
      at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
    }),
    { minLength: 1, maxLength: 22 },
  );

  it('on generated histories, spoiled or not', () => {
    fc.assert(
      fc.property(spec, fc.nat(), fc.constantFrom('none', 'swap', 'drop'), (list, pick, spoil) => {
        const clock = new Map<number, number>();
        const timed = list.map((s, i) => {
          const call = (clock.get(s.client) ?? 0) + s.gap;
          const ret = call + s.duration;
          clock.set(s.client, ret + 1);
          const input: KvInput =
            s.kind === 'get'
              ? { op: 'get', key: 'k' }
              : { op: s.kind as 'put' | 'append', key: 'k', value: `${s.kind[0]}${i};` };
          return { i, call, ret, input, point: call + 0.5 + s.at * (s.duration - 1) };
        });
        const ops: Operation<KvInput, KvOutput>[] = timed.map((t) => ({
          client: list[t.i]!.client,
          input: t.input,
          call: t.call,
          output: {},
          return: t.ret,
        }));
        let value = '';
        for (const t of [...timed].sort((a, b) => a.point - b.point)) {
          if (t.input.op === 'get') ops[t.i]!.output = { value };
          else value = t.input.op === 'put' ? t.input.value : value + t.input.value;
        }
        const gets = ops.filter((o) => o.input.op === 'get' && (o.output?.value ?? '') !== '');
        if (spoil !== 'none' && gets.length > 0) {
          const g = gets[pick % gets.length]!;
          const pieces = g.output!.value!.split(';').slice(0, -1);
          const at = pick % pieces.length;
          if (spoil === 'drop') pieces.splice(at, 1);
          else if (at + 1 < pieces.length)
            [pieces[at], pieces[at + 1]] = [pieces[at + 1]!, pieces[at]!];
          g.output = { value: pieces.map((p) => `${p};`).join('') };
        }
        const fast = checkOperations(kvModel, ops);
        const plain = checkOperations(plainKv, ops);
        expect(plain.verdict).not.toBe('unknown');
        expect(fast.verdict).toBe(plain.verdict);
        if (spoil === 'none') expect(fast.verdict).toBe('ok');
      }),
      { numRuns: 400 },
    );
  });
});

describe('kv model: append-heavy single-key histories', () => {
  // From the key/value swarm, seed 8496: 289 operations on one key (161 appends, 81 gets,
  // 47 puts) from 6 clients. Without the pairs the search had not decided after 100 million
  // steps (168 s and 3.5 GB without a budget); with them it is one quick pass.
  const text = readFileSync(
    join(packageRoot, 'test/fixtures/swarm/kv-appends-seed8496.json'),
    'utf8',
  );
  const { operations } = parseHistoryJson(text);

  it('are decided in a small step budget with the pairs', () => {
    const result = checkOperations(kvModel, operations as never, { maxSteps: 1_000_000 });
    expect(result.verdict).toBe('ok');
    expect(result.steps).toBeLessThan(100_000);
  });

  it('are not decided in the same budget without them (what the pairs buy)', () => {
    const result = checkOperations(plainKv, operations as never, { maxSteps: 1_000_000 });
    expect(result.verdict).toBe('unknown');
    expect(result.partitions[0]!.reason).toBe('step-limit');
  });
});
