import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KvInput, KvOutput, Operation } from '../src/index.js';
import { type Api, buildPrivate, counterModule } from './built.js';
import { op, packageRoot } from './helpers.js';

// checkOperationsParallel needs the built worker script: see test/built.ts.
let api: Api;
let dir: string;
let remove = () => {};
beforeAll(async () => {
  ({ api, dir, remove } = await buildPrivate());
}, 60_000);
afterAll(() => remove());

/** Per key, `n` appends that all overlap and then a get no order explains: the search has to
 * try the orders of the appends (exponentially many), so it runs until stopped. */
function endless(keys: string[], n = 40): Operation<KvInput, KvOutput>[] {
  return keys.flatMap((key) => [
    ...Array.from({ length: n }, (_, i) =>
      op<KvInput, KvOutput>(i, { op: 'append', key, value: `${i},` }, 0, {}, 1000),
    ),
    op<KvInput, KvOutput>(n, { op: 'get', key }, 2000, { value: 'never' }, 2001),
  ]);
}

const counter = (name: string, kind: 'inc' | 'read', call: number, ret: number, value?: number) =>
  op(0, { op: kind, name }, call, value === undefined ? {} : { value }, ret);

describe('checkOperationsParallel', () => {
  it('gives the in-thread result for a small kv history, states included', async () => {
    const ops = [
      op<KvInput, KvOutput>(0, { op: 'put', key: 'x', value: 'a' }, 0, {}, 10),
      op<KvInput, KvOutput>(1, { op: 'get', key: 'x' }, 5, { value: 'a' }, 15),
      op<KvInput, KvOutput>(2, { op: 'get', key: 'x' }, 20, { value: '' }, 30),
      op<KvInput, KvOutput>(0, { op: 'append', key: 'y', value: 'b' }, 0, {}, 10),
      op<KvInput, KvOutput>(1, { op: 'get', key: 'y' }, 20, { value: 'b' }, 30),
    ];
    const inThread = api.checkOperations(api.kvModel, ops, { explain: true });
    const parallel = await api.checkOperationsParallel('kv', ops, { workers: 2, explain: true });
    expect(parallel.verdict).toBe('illegal');
    const strip = (r: typeof inThread) =>
      r.partitions.map(({ states, ...p }) => ({ ...p, states: states.map((s) => s.value) }));
    expect(strip(parallel as typeof inThread)).toEqual(strip(inThread));
    expect(parallel.operations).toBe(5);
  });

  it('returns ok for an empty history without starting a worker', async () => {
    const result = await api.checkOperationsParallel('kv', [], { workers: 2 });
    expect(result).toMatchObject({ verdict: 'ok', partitions: [], operations: 0 });
    // etcd has no partitioning: one empty partition, decided without a worker.
    const {
      elapsedMs: _a,
      peakRssBytes: _c,
      ...etcd
    } = await api.checkOperationsParallel('etcd', []);
    const { elapsedMs: _b, peakRssBytes: _d, ...inThread } = api.checkOperations(api.etcdModel, []);
    expect(etcd).toEqual(inThread);
  });

  it('returns unknown (timeout) at the time limit, with every partition accounted for', async () => {
    const result = await api.checkOperationsParallel('kv', endless(['a', 'b']), {
      workers: 2,
      timeoutMs: 300,
    });
    expect(result.elapsedMs).toBeGreaterThanOrEqual(300);
    expect(result.verdict).toBe('unknown');
    expect(result.partitions.map((p) => p.reason)).toEqual(['timeout', 'timeout']);
    // The workers stop themselves at the deadline and report their longest prefixes.
    expect(result.partitions.every((p) => p.linearization.length > 0)).toBe(true);
  });

  it('returns unknown (aborted) on abort', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const result = await api.checkOperationsParallel('kv', endless(['a', 'b', 'c']), {
      workers: 2,
      signal: controller.signal,
    });
    expect(result.verdict).toBe('unknown');
    expect(result.partitions.map((p) => p.reason)).toEqual(['aborted', 'aborted', 'aborted']);
    const before = new AbortController();
    before.abort();
    const early = await api.checkOperationsParallel('kv', endless(['a']), {
      signal: before.signal,
    });
    expect(early.partitions[0]!.reason).toBe('aborted');
  });

  it('leaves no thread running after an abort (the process exits by itself)', () => {
    const script = `
      const api = await import(${JSON.stringify(pathToFileURL(join(dir, 'index.js')).href)});
      const ops = ${JSON.stringify(endless(['a', 'b']))};
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 200);
      const r = await api.checkOperationsParallel('kv', ops, { workers: 2, signal: controller.signal });
      console.log(r.verdict, r.partitions.map((p) => p.reason).join());`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(child.error, 'the process did not exit: a worker thread kept it alive').toBeUndefined();
    expect(child.stdout.trim(), child.stderr).toBe('unknown aborted,aborted');
  });

  it('stops at the first illegal partition and skips the others', async () => {
    const ops = [
      ...endless(['slow']),
      op<KvInput, KvOutput>(0, { op: 'get', key: 'fast' }, 0, { value: 'x' }, 1),
    ];
    const result = await api.checkOperationsParallel('kv', ops, { workers: 2, timeoutMs: 20_000 });
    // The slow partition cannot finish in 20 s; it is skipped, not waited for.
    expect(result.verdict).toBe('illegal');
    expect(result.partitions.map((p) => p.reason ?? p.verdict)).toEqual(['skipped', 'illegal']);
  });

  it('loads a custom model from a module (URL, path, default export)', async () => {
    const ok = [
      counter('a', 'inc', 0, 10),
      counter('a', 'read', 5, 15, 1),
      counter('b', 'read', 0, 1, 0),
    ];
    const bad = [counter('a', 'inc', 0, 10), counter('a', 'read', 20, 30, 0)];
    for (const ref of [
      { module: counterModule, export: 'counterModel' },
      { module: counterModule.pathname },
      { module: counterModule.href, export: 'default' },
    ]) {
      const result = await api.checkOperationsParallel(ref, ok, { workers: 2 });
      expect(result.verdict).toBe('ok');
      expect(result.partitions.map((p) => p.key)).toEqual(['a', 'b']);
      expect(result.partitions[0]!.states).toEqual([1]);
    }
    const result = await api.checkOperationsParallel({ module: counterModule }, bad);
    expect(result.partitions[0]).toMatchObject({
      verdict: 'illegal',
      failedAt: 1,
      linearization: [0],
    });
  });

  it('throws typed errors for bad model references, options and operations', async () => {
    const rejects = async (promise: Promise<unknown>, argument: string) => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(api.InvalidArgumentError.isInstance(error), String(error)).toBe(true);
      expect((error as { argument: string }).argument).toBe(argument);
      return (error as Error).message;
    };
    expect(await rejects(api.checkOperationsParallel('kvv', []), 'modelRef')).toMatch(
      /unknown built-in model "kvv"; expected one of "kv", "register", "etcd"/,
    );
    expect(
      await rejects(api.checkOperationsParallel({ module: './counter-model.mjs' }, []), 'modelRef'),
    ).toMatch(/relative/);
    expect(
      await rejects(
        api.checkOperationsParallel({ module: counterModule, export: 'nope' }, []),
        'modelRef',
      ),
    ).toMatch(/is not a model/);
    expect(
      await rejects(
        api.checkOperationsParallel({ module: join(packageRoot, 'missing.mjs') }, []),
        'modelRef',
      ),
    ).toMatch(/cannot import/);
    await rejects(api.checkOperationsParallel('kv', [], { workers: 0 }), 'workers');
    const fn = [op(0, { op: 'inc', name: 'a', f: () => 1 }, 0, {}, 1)];
    await rejects(api.checkOperationsParallel({ module: counterModule }, fn), 'operations');
  });

  it('rejects with WorkerError when the model throws in a worker', async () => {
    const error = await api
      .checkOperationsParallel({ module: counterModule, export: 'throwingModel' }, [
        op(0, {}, 0, {}, 1),
      ])
      .catch((e: unknown) => e);
    expect(api.WorkerError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/step exploded/);
  });

  it('runs from the CLI with --workers', () => {
    const bin = join(dir, 'cli.js');
    const file = join(packageRoot, 'test/fixtures/porcupine/jepsen/etcd_000.log');
    for (const workers of ['0', '2']) {
      const r = spawnSync(process.execPath, [bin, file, '--workers', workers, '--json'], {
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(1);
      expect(JSON.parse(r.stdout).verdict).toBe('illegal');
    }
  });
});
