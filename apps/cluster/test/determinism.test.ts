import { existsSync, readFileSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { raftTest } from '../src/raft-harness/define.js';
import { one } from '../src/raft-harness/checks.js';
import { findLabTest } from '../src/lab/registry.js';
import { runLabTest } from '../src/lab/run-lab-test.js';
import { seedFor } from '../src/lab/seed.js';

describe('determinism and replay', () => {
  it('one seed of Figure8Unreliable3C run twice gives the same trace', {
    timeout: 120_000,
  }, async () => {
    const test = findLabTest('TestFigure8Unreliable3C')!;
    const seed = seedFor('determinism');
    const a = await runLabTest(test, seed);
    const b = await runLabTest(test, seed);
    expect(a.ok, a.error).toBe(true);
    expect(b.ok, b.error).toBe(true);
    expect(a.traceHash).toMatch(/^[0-9a-f]{16}$/);
    expect(b.traceHash).toBe(a.traceHash);
    expect(b.summary).toEqual(a.summary);
    const c = await runLabTest(test, seed + 1);
    expect(c.traceHash).not.toBe(a.traceHash);
  });

  it('a failing run reports its seed, a replay command and a trace file', {
    timeout: 60_000,
  }, async () => {
    const failing = raftTest('Broken3B', 'a test that cannot pass', { servers: 3 }, async (h) => {
      await one(h, 1, 3, false);
      h.fatal('deliberate failure');
    });
    const r = await runLabTest(failing, 42);
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/deliberate failure/);
    expect(r.replay).toBe("(cd apps/cluster && SEED=42 npx vitest run -t 'TestBroken3B$')");
    expect(r.tracePath).toBeDefined();
    expect(existsSync(r.tracePath!)).toBe(true);
    const lines = readFileSync(r.tracePath!, 'utf8').trim().split('\n');
    expect(JSON.parse(lines[0]!).header).toMatchObject({ seed: '42', test: 'Broken3B' });
    expect(lines.some((l) => l.includes('"ev":"fatal"'))).toBe(true);
    rmSync(r.tracePath!);
  });
});
