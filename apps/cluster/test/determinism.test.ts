import { existsSync, readFileSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { raftTest } from '../src/raft-harness/define.js';
import { one } from '../src/raft-harness/checks.js';
import { findLabTest } from '../src/lab/registry.js';
import { replayCommand, runLabTest } from '../src/lab/run-lab-test.js';
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

  it('the trace hash covers the schedule only: RAFTKIT_LOG=1 prints everything and changes nothing', {
    timeout: 120_000,
  }, async () => {
    const test = findLabTest('TestFigure8Unreliable3C')!;
    const seed = seedFor('log-independence');
    const quiet = await runLabTest(test, seed);
    const saved = process.env.RAFTKIT_LOG;
    const write = process.stderr.write;
    let printed = 0;
    process.env.RAFTKIT_LOG = '1';
    process.stderr.write = ((chunk: string | Uint8Array) => {
      printed += chunk.length;
      return true;
    }) as typeof process.stderr.write;
    try {
      const loud = await runLabTest(test, seed);
      expect(loud.ok, loud.error).toBe(true);
      expect(printed).toBeGreaterThan(100_000);
      expect(loud.traceHash).toBe(quiet.traceHash);
      expect(loud.summary).toEqual(quiet.summary);
    } finally {
      process.stderr.write = write;
      if (saved === undefined) delete process.env.RAFTKIT_LOG;
      else process.env.RAFTKIT_LOG = saved;
    }
  });

  it('replay commands carry every setting that shaped the run and select exactly one test', () => {
    const env = { RAFTKIT_PREVOTE: '1', RAFTKIT_CHECKQUORUM: '1', RAFTKIT_KV_GET_MODE: 'log' };
    expect(replayCommand(findLabTest('Basic4A')!, 7, env)).toBe(
      "(cd apps/cluster && RAFTKIT_PREVOTE=1 RAFTKIT_CHECKQUORUM=1 RAFTKIT_KV_GET_MODE=log SEED=7 npx vitest run test/kv-log-gets.test.ts -t '^Gets through the log TestBasic4A$')",
    );
    expect(replayCommand(findLabTest('Basic4A')!, 7, {})).toBe(
      "(cd apps/cluster && SEED=7 npx vitest run test/kv-4a.test.ts -t '^TestBasic4A$')",
    );
    expect(
      replayCommand(findLabTest('InitialElection3A')!, 3, { RAFTKIT_TEST_BUG: 'forget-vote' }),
    ).toBe(
      "(cd apps/cluster && RAFTKIT_TEST_BUG=forget-vote SEED=3 npx vitest run test/raft-3a.test.ts -t '^Raft 3A TestInitialElection3A$')",
    );
    expect(replayCommand(findLabTest('SwarmKv')!, 12, { RAFTKIT_PREVOTE: '1' })).toBe(
      '(cd apps/cluster && RAFTKIT_PREVOTE=1 node dist/cli.js lab -t SwarmKv --seed 12)',
    );
  });

  it('one rule derives default seeds, with or without the "Test" prefix', () => {
    expect(seedFor('TestBasic4A', {})).toBe(seedFor('Basic4A', {}));
    expect(seedFor('Basic4A', { SEED: '5' })).toBe(5);
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
    expect(r.replay).toBe(
      "(cd apps/cluster && SEED=42 npx vitest run test/raft-3b.test.ts -t '^Raft 3B TestBroken3B$')",
    );
    expect(r.tracePath).toBeDefined();
    expect(existsSync(r.tracePath!)).toBe(true);
    const lines = readFileSync(r.tracePath!, 'utf8').trim().split('\n');
    expect(JSON.parse(lines[0]!).header).toMatchObject({ seed: '42', test: 'Broken3B' });
    expect(lines.some((l) => l.includes('"ev":"fatal"'))).toBe(true);
    rmSync(r.tracePath!);
  });
});
