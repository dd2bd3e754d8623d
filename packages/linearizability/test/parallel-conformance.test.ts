import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, KvInput, KvOutput, KvState, Operation } from '../src/index.js';
import { type Api, buildPrivate } from './built.js';
import { conformanceDir, conformanceFile } from './helpers.js';

// The parallel mode against the in-thread one (same build): see test/built.ts for why it builds.
let api: Api;
let remove = () => {};
beforeAll(async () => {
  ({ api, remove } = await buildPrivate());
}, 60_000);
afterAll(() => remove());

const rows = readFileSync(join(conformanceDir, 'VERDICTS.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split('\t'))
  .map(([file, model, expected]) => ({ file: file!, model: model!, expected: expected! }));
const kvRows = rows.filter((row) => row.model === 'kv');
// etcd logs are single partitions (one worker); a few of them are enough.
const etcdRows = rows.filter((row) => row.model === 'etcd').slice(0, 4);

/** What must agree: per partition the verdict and, when decided, the whole explanation. */
function comparable(result: CheckResult<unknown>) {
  return result.partitions.map((p) => ({
    key: p.key,
    operations: p.operations,
    verdict: p.verdict,
    reason: p.reason,
    ...(p.verdict === 'unknown'
      ? {}
      : {
          linearization: p.linearization,
          failedAt: p.failedAt,
          failedCandidates: p.failedCandidates,
          states: JSON.stringify(p.states),
        }),
  }));
}

describe(`parallel mode on conformance files (${conformanceDir})`, () => {
  it.each([...kvRows, ...etcdRows])('$file: $expected, as in-thread', async (row) => {
    const text = readFileSync(conformanceFile(row.file), 'utf8');
    const ops =
      row.model === 'etcd'
        ? api.parseJepsenLog(text).operations
        : (api.parseKvLog(text).operations as Operation<unknown, unknown>[]);
    const model = row.model === 'etcd' ? api.etcdModel : api.kvModel;
    const inThread = api.checkOperations(model as never, ops);
    const parallel = await api.checkOperationsParallel(row.model, ops, { workers: 2 });
    expect(parallel.verdict).toBe(row.expected);
    expect(parallel.verdict).toBe(inThread.verdict);
    expect(parallel.partitions.map((p) => p.key)).toEqual(inThread.partitions.map((p) => p.key));
    if (row.expected === 'ok') expect(comparable(parallel)).toEqual(comparable(inThread));
    else {
      // Which illegal partition is found first can differ; each one found is explained alike.
      const one = parallel.partitions.find((p) => p.verdict === 'illegal')!;
      const same = inThread.partitions[one.index]!;
      if (same.verdict === 'illegal') {
        expect(comparable({ ...parallel, partitions: [one] })).toEqual(
          comparable({ ...inThread, partitions: [same] }),
        );
      }
    }
  });
});

const kvOp = fc.record({
  client: fc.integer({ min: 0, max: 3 }),
  key: fc.constantFrom('a', 'b', 'c', 'd'),
  kind: fc.constantFrom('get', 'put', 'append'),
  value: fc.constantFrom('x', 'y'),
  got: fc.constantFrom('', 'x', 'y', 'xy', 'yx', 'xx'),
  gap: fc.integer({ min: 0, max: 5 }),
  duration: fc.integer({ min: 1, max: 20 }),
  unknown: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
});

describe('parallel mode on generated histories', () => {
  it('gives the in-thread result, partition by partition (explain)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(kvOp, { minLength: 1, maxLength: 30 }), async (list) => {
        const clock = new Map<number, number>();
        const ops = list.map((s): Operation<KvInput, KvOutput> => {
          const call = (clock.get(s.client) ?? 0) + s.gap;
          clock.set(s.client, call + s.duration + 1);
          const input: KvInput =
            s.kind === 'get'
              ? { op: 'get', key: s.key }
              : { op: s.kind as 'put' | 'append', key: s.key, value: s.value };
          const output = s.kind === 'get' ? { value: s.got } : {};
          return {
            client: s.client,
            input,
            call,
            output,
            return: s.unknown ? null : call + s.duration,
          };
        });
        const inThread = api.checkOperations(api.kvModel, ops, { explain: true });
        const parallel = await api.checkOperationsParallel<KvState>('kv', ops, {
          workers: 2,
          explain: true,
        });
        expect(parallel.verdict).toBe(inThread.verdict);
        expect(comparable(parallel)).toEqual(comparable(inThread));
      }),
      { numRuns: 25, seed: Number(process.env.SEED ?? 1) },
    );
  });
});
