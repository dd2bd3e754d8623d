import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type AnyModel,
  ILLEGAL,
  type KvInput,
  type KvOutput,
  type Model,
  type Operation,
  checkOperations,
  hashString,
  etcdModel,
  kvModel,
  parseJepsenLog,
  parseKvLog,
} from '../src/index.js';
import { conformanceDir, conformanceFile } from './helpers.js';

// Porcupine's 109 histories with their verdicts, committed under test/fixtures/porcupine.
const rows = readFileSync(join(conformanceDir, 'VERDICTS.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split('\t'))
  .map(([file, model, expected, operations]) => ({
    file: file!,
    model: model!,
    expected: expected!,
    operations: Number(operations),
  }));
/** The kv model without partitioning: one state, a record from key to string (porcupine's
 * `kvNoPartitionModel`). Much slower; used to show partitioning does not change verdicts. */
const kvWhole: Model<Readonly<Record<string, string>>, KvInput, KvOutput> = {
  name: 'kv-whole',
  init: () => ({}),
  step(state, input, output) {
    const current = state[input.key] ?? '';
    if (input.op === 'get')
      return output === undefined || output.value === current ? state : ILLEGAL;
    return { ...state, [input.key]: input.op === 'put' ? input.value : current + input.value };
  },
  equal(a, b) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
  },
  hash(state) {
    let h = 0;
    for (const k in state)
      h = (h + Math.imul(hashString(k) ^ hashString(state[k]!), 0x9e3779b1)) | 0;
    return h;
  },
};

const present = rows.filter((row) => existsSync(conformanceFile(row.file)));
const missing = rows.filter((row) => !existsSync(conformanceFile(row.file)));

function load(row: (typeof rows)[number]): { model: AnyModel; ops: Operation<unknown, unknown>[] } {
  const text = readFileSync(conformanceFile(row.file), 'utf8');
  return row.model === 'etcd'
    ? { model: etcdModel, ops: parseJepsenLog(text).operations }
    : { model: kvModel, ops: parseKvLog(text).operations };
}

describe(`porcupine conformance (${conformanceDir})`, () => {
  it('has every file listed in VERDICTS.tsv', () => {
    expect(
      missing.map((row) => row.file),
      `${missing.length} of ${rows.length} files listed in VERDICTS.tsv are missing from ${conformanceDir}; restore the folder (sha256sum -c SHA256SUMS)`,
    ).toEqual([]);
  });

  it('files match SHA256SUMS', () => {
    const sums = new Map(
      readFileSync(join(conformanceDir, 'SHA256SUMS'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split(/\s+/))
        .map(([sum, file]) => [file!, sum!] as const),
    );
    for (const row of present) {
      const digest = createHash('sha256')
        .update(readFileSync(conformanceFile(row.file)))
        .digest('hex');
      expect(digest, row.file).toBe(sums.get(row.file));
    }
  });

  it.each(present.map((row) => [row.file, row] as const))('%s', (_file, row) => {
    const { model, ops } = load(row);
    expect(ops.length).toBe(row.operations);
    expect(checkOperations(model, ops).verdict).toBe(row.expected);
  });

  const c50bad = present.find((row) => row.file === 'kv/c50-bad.txt');
  it.runIf(c50bad !== undefined)(
    'kv/c50-bad in explain mode finishes within a step budget and a cache bound',
    () => {
      const { model, ops } = load(c50bad!);
      const result = checkOperations(model, ops, {
        explain: true,
        maxSteps: 20_000_000,
        maxCacheEntries: 500_000,
      });
      expect(result.verdict).toBe('illegal');
      expect(
        result.partitions.filter((p) => p.verdict === 'illegal').length,
      ).toBeGreaterThanOrEqual(1);
      for (const p of result.partitions) {
        expect(p.cacheEntries).toBeLessThanOrEqual(500_000);
        if (p.verdict === 'unknown') expect(['step-limit', 'cache-limit']).toContain(p.reason);
      }
    },
  );

  const small = present.filter((row) => /^kv\/c(01|10)-/.test(row.file));
  it.each(small.map((row) => [row.file, row] as const))(
    '%s gets the same verdict unpartitioned',
    (_file, row) => {
      const { ops } = load(row);
      const result = checkOperations(kvWhole, ops as Operation<KvInput, KvOutput>[]);
      expect(result.partitions).toHaveLength(1);
      expect(result.verdict).toBe(row.expected);
    },
    90_000,
  );
});
