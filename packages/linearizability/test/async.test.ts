import { describe, expect, it } from 'vitest';
import {
  ILLEGAL,
  type Model,
  checkEventsAsync,
  checkOperations,
  checkOperationsAsync,
  registerModel,
} from '../src/index.js';
import { op } from './helpers.js';

const counter: Model<number, 'inc' | 'read', number> = {
  name: 'counter',
  init: () => 0,
  step: (s, input, output) =>
    input === 'inc' ? s + 1 : output === undefined || output === s ? s : ILLEGAL,
};
function hard(n: number) {
  const ops = [];
  for (let i = 0; i < n; i++) ops.push(op(i, 'inc' as const, 0, undefined, null));
  for (let i = 0; i < n; i++) ops.push(op(n + i, 'read' as const, 1, n + 1, 2));
  return ops;
}

/** Largest gap between ticks of a 1 ms interval, and the number of ticks, while `work` runs. */
async function ticks(work: () => Promise<unknown>): Promise<{ gap: number; count: number }> {
  let last = performance.now();
  let gap = 0;
  let count = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    gap = Math.max(gap, now - last);
    last = now;
    count++;
  }, 1);
  await work();
  const now = performance.now();
  gap = Math.max(gap, now - last);
  clearInterval(timer);
  return { gap, count };
}

describe('checkOperationsAsync', () => {
  it('gives the same verdicts as the synchronous check', async () => {
    const h = [
      op(0, { op: 'write' as const, value: 1 }, 0, {}, 10),
      op(1, { op: 'read' as const }, 11, { value: 0 }, 20),
    ];
    expect((await checkOperationsAsync(registerModel, h)).verdict).toBe('illegal');
    const events = [
      { kind: 'call' as const, id: 0, client: 0, value: { op: 'read' as const } },
      { kind: 'return' as const, id: 0, value: { value: 0 } },
    ];
    expect((await checkEventsAsync(registerModel, events)).verdict).toBe('ok');
  });

  it('never blocks the event loop for much longer than a slice', async () => {
    // The synchronous check holds the event loop for the whole time limit...
    const blocking = await ticks(async () =>
      checkOperations(counter, hard(24), { timeoutMs: 600 }),
    );
    expect(blocking.gap).toBeGreaterThanOrEqual(590);
    // ...the cooperative one lets timers run between 5 ms slices. Its longest gap is compared
    // with the blocking one (not with an absolute bound), so a loaded machine, whose preemption
    // adds to every gap, does not fail the test.
    let verdict = '';
    const cooperative = await ticks(async () => {
      verdict = (await checkOperationsAsync(counter, hard(24), { timeoutMs: 600, sliceMs: 5 }))
        .verdict;
    });
    expect(verdict).toBe('unknown');
    expect(cooperative.gap).toBeLessThan(blocking.gap / 2);
    expect(cooperative.count).toBeGreaterThan(blocking.count + 20);
  });

  it('stops with verdict unknown (aborted) when the signal fires', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    // hard(26) cannot be decided before the abort on any machine: the check ends because of it.
    const result = await checkOperationsAsync(counter, hard(26), { signal: controller.signal });
    expect(result.verdict).toBe('unknown');
    expect(result.partitions[0]!.reason).toBe('aborted');
    expect(result.partitions[0]!.steps).toBeGreaterThan(0);
  });

  it('an already aborted signal stops the synchronous check too', async () => {
    const result = await checkOperationsAsync(counter, hard(3), { signal: AbortSignal.abort() });
    expect(result.partitions[0]!.reason).toBe('aborted');
  });
});
