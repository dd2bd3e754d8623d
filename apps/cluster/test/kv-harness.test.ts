import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kvModel, parseHistoryJson, checkOperations } from '@raftkit/linearizability';
import { Simulation } from '@raftkit/labrpc';
import { afterEach, describe, expect, it } from 'vitest';
import { runLabTest } from '../src/lab/run-lab-test.js';
import { checkClntAppends } from '../src/kv-harness/appends.js';
import type { KvOperation } from '../src/kv-harness/history.js';
import { kvTest } from '../src/kv-harness/lab-tests.js';
import { checkKvHistory } from '../src/kv-harness/linearizability-check.js';
import type { KvTestContext } from '../src/kv-harness/run.js';
import { parseSeedList } from '../src/kv-harness/run.js';

// Checks of the kv tester itself: that its checks can fail, that failures leave the promised
// files behind, and that a seed replays a run exactly.

function context(name: string): KvTestContext {
  const dir = mkdtempSync(join(tmpdir(), 'kv-harness-'));
  const sim = new Simulation({ seed: 1 });
  return {
    testName: name,
    seed: 1,
    sim,
    quiet: true,
    artifactBase: join(dir, `${name}-seed1`),
    makeConfig() {
      throw new Error('not used');
    },
    log() {},
  };
}

function op(
  client: number,
  kind: KvOperation['kind'],
  key: string,
  value: string,
  output: string,
  call: number,
  ret: number,
): KvOperation {
  return { client, kind, key, value, output, call, return: ret };
}

describe('checkClntAppends', () => {
  it('accepts every element once and in order', () => {
    expect(() => checkClntAppends(3, 'x 3 0 yx 1 0 yx 3 1 y', 2)).not.toThrow();
  });
  it('reports a missing, a duplicate and an out-of-order element', () => {
    expect(() => checkClntAppends(3, 'x 3 0 y', 2)).toThrow(/missing element x 3 1 y/);
    expect(() => checkClntAppends(3, 'x 3 0 yx 3 1 yx 3 0 y', 2)).toThrow(/duplicate element/);
    expect(() => checkClntAppends(3, 'x 3 1 yx 3 0 y', 2)).toThrow(/wrong order/);
  });
});

describe('checkKvHistory', () => {
  afterEach(() => {
    delete process.env.RAFTKIT_CHECK_MAX_STEPS;
  });

  it('passes a linearizable history', async () => {
    const ctx = context('Ok');
    const ops = [
      op(0, 'put', 'k', 'a', '', 0, 10),
      op(1, 'append', 'k', 'b', '', 5, 20),
      op(2, 'get', 'k', '', 'ab', 21, 30),
    ];
    await expect(checkKvHistory(ctx, ops)).resolves.toMatchObject({ verdict: 'ok' });
  });

  it('fails an illegal history, writing the visualisation and the history file', async () => {
    const ctx = context('Illegal');
    const ops = [
      op(0, 'put', 'k', 'a', '', 0, 10),
      op(1, 'get', 'k', '', '', 11, 20), // a stale read after the put returned
    ];
    const error = await checkKvHistory(ctx, ops).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/not-linearizable: history is not linearizable/);
    const html = `${ctx.artifactBase}.html`;
    const history = `${ctx.artifactBase}.history.json`;
    expect(error?.message).toContain(html);
    expect(error?.message).toContain(history);
    expect(existsSync(html)).toBe(true);
    // The history file is in the checker's JSON format and checks illegal again.
    const parsed = parseHistoryJson(readFileSync(history, 'utf8'));
    expect(parsed.model.name).toBe('kv');
    expect(checkOperations(kvModel, parsed.operations as never).verdict).toBe('illegal');
  });

  it('counts an exhausted step budget as a failure, the same way on every machine', async () => {
    const ctx = context('Budget');
    // Many overlapping appends and reads of one key: the search needs far more than 1,000 steps.
    const ops: KvOperation[] = [];
    for (let c = 0; c < 60; c++) {
      ops.push(op(c, 'append', 'k', `x ${c} 0 y`, '', c, 10_000 + c));
      ops.push(op(c + 100, 'get', 'k', '', `x ${c} 0 y`, c, 10_000 + c));
    }
    process.env.RAFTKIT_CHECK_MAX_STEPS = '1000';
    await expect(checkKvHistory(ctx, ops)).rejects.toThrow(
      /checker-budget: .*undecided \(step-limit\) after \d+ search steps \(budget 1000/,
    );
    expect(existsSync(`${ctx.artifactBase}.history.json`)).toBe(true);
  });
});

describe('seeds', () => {
  it('parses SEEDS ranges, lists and counts', () => {
    expect(parseSeedList('3-5')).toEqual([3, 4, 5]);
    expect(parseSeedList('3..5')).toEqual([3, 4, 5]);
    expect(parseSeedList('7,9')).toEqual([7, 9]);
    expect(parseSeedList('3')).toEqual([1, 2, 3]);
  });

  it('replays a run exactly from its seed (same trace hash), and another seed differs', async () => {
    const test = kvTest('TestPersistPartitionUnreliable4A');
    const a = await runLabTest(test, 11);
    const b = await runLabTest(test, 11);
    const c = await runLabTest(test, 12);
    expect(a.ok && b.ok && c.ok).toBe(true);
    expect(a.traceHash).toBe(b.traceHash);
    expect(a.summary).toEqual(b.summary);
    expect(c.traceHash).not.toBe(a.traceHash);
  }, 120_000);
});
