import { describe, expect, it } from 'vitest';
import { createSeededRng, Simulation, SimulationStalledError } from '../src/index.js';
import { InvalidArgumentError, RealClock } from '@raftkit/core';

describe('Simulation and VirtualClock', () => {
  it('runs timers in (time, insertion) order and advances virtual time exactly', async () => {
    const sim = new Simulation({ seed: 1, printTrace: false });
    const seen: string[] = [];
    await sim.run(async () => {
      sim.clock.setTimer(10, () => seen.push(`a@${sim.clock.now()}`));
      sim.clock.setTimer(5, () => seen.push(`b@${sim.clock.now()}`));
      sim.clock.setTimer(10, () => seen.push(`c@${sim.clock.now()}`));
      const cancelled = sim.clock.setTimer(7, () => seen.push('never'));
      cancelled.cancel();
      cancelled.cancel();
      await sim.clock.sleep(20);
    });
    expect(seen).toEqual(['b@5', 'a@10', 'c@10']);
    expect(sim.clock.now()).toBe(20);
  });

  it('drains every microtask between events (nested awaits see one instant)', async () => {
    const sim = new Simulation({ seed: 1, printTrace: false });
    const times: number[] = [];
    await sim.run(async () => {
      await sim.clock.sleep(3);
      for (let i = 0; i < 5; i++) {
        await Promise.resolve();
        times.push(sim.clock.now());
      }
    });
    expect(times).toEqual([3, 3, 3, 3, 3]);
  });

  it('reports a stall with the virtual time and what is waiting', async () => {
    const sim = new Simulation({ seed: 1, printTrace: false });
    sim.addStallReporter(() => ['the answer']);
    const error = await sim
      .run(async () => {
        await sim.clock.sleep(42);
        await new Promise(() => {});
      })
      .catch((e: unknown) => e);
    expect(SimulationStalledError.isInstance(error)).toBe(true);
    expect((error as SimulationStalledError).at).toBe(42);
    expect((error as Error).message).toMatch(/stalled at t=42\.000ms.*waiting: the answer/);
  });

  it('stops at a virtual time limit', async () => {
    const sim = new Simulation({ seed: 1, printTrace: false });
    const tick = () => sim.clock.setTimer(100, tick);
    tick();
    await expect(sim.run(() => new Promise(() => {}), { maxVirtualMs: 1000 })).rejects.toThrow(
      /time limit of 1000 ms/,
    );
  });

  it('sim.fail and a throwing timer fail the run', async () => {
    const sim = new Simulation({ seed: 1, printTrace: false });
    sim.clock.setTimer(1, () => {
      throw new Error('boom');
    });
    await expect(sim.run(() => sim.clock.sleep(5))).rejects.toThrow('boom');
    const sim2 = new Simulation({ seed: 1, printTrace: false });
    sim2.clock.setTimer(1, () => sim2.fail(new Error('invariant broken')));
    await expect(sim2.run(() => sim2.clock.sleep(5))).rejects.toThrow('invariant broken');
  });

  it('sleep honours an AbortSignal', async () => {
    const sim = new Simulation({ seed: 1, printTrace: false });
    const ac = new AbortController();
    const result = await sim.run(async () => {
      sim.clock.setTimer(5, () => ac.abort(new Error('stop')));
      return sim.clock.sleep(1000, ac.signal).then(
        () => 'slept',
        (e: Error) => `${e.message}@${sim.clock.now()}`,
      );
    });
    expect(result).toBe('stop@5');
  });

  it('rejects negative and non-finite delays with a typed error', () => {
    const sim = new Simulation({ seed: 1, printTrace: false });
    expect(() => sim.clock.setTimer(-1, () => {})).toThrow(InvalidArgumentError);
    expect(() => sim.clock.setTimer(Number.NaN, () => {})).toThrow(/delayMs/);
    expect(() => new RealClock().setTimer(-5, () => {})).toThrow(InvalidArgumentError);
  });

  it('a trace dump writes the retained records', async () => {
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const sim = new Simulation({ seed: 9, printTrace: false, traceCapacity: 3 });
    for (let i = 0; i < 5; i++) sim.trace('test', 'step', { i });
    const path = sim.dumpTrace(join(mkdtempSync(join(tmpdir(), 'raftkit-')), 'trace.jsonl'));
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0].header.seed).toBe('9');
    expect(lines.at(-1)).toMatchObject({ src: 'test', ev: 'step', i: 4 });
    expect(lines.filter((l) => l.ev === 'step')).toHaveLength(3);
  });
});

describe('seeded rng', () => {
  it('is reproducible, bounded and roughly uniform', () => {
    const a = createSeededRng(5);
    const b = createSeededRng(5);
    const xs = Array.from({ length: 1000 }, () => a.int(0, 9));
    expect(Array.from({ length: 1000 }, () => b.int(0, 9))).toEqual(xs);
    const counts = new Array(10).fill(0);
    for (const x of xs) counts[x]++;
    for (const c of counts) expect(c).toBeGreaterThan(60);
    for (let i = 0; i < 1000; i++) {
      const f = a.float();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
    }
  });

  it('forks are independent of the parent stream’s draws', () => {
    const a = createSeededRng(5);
    const b = createSeededRng(5);
    a.int(0, 100);
    a.int(0, 100);
    expect(a.fork('net').int(0, 1e9)).toBe(b.fork('net').int(0, 1e9));
    expect(a.fork('net').int(0, 1e9)).not.toBe(a.fork('raft').int(0, 1e9));
  });

  it('validates its arguments', () => {
    const r = createSeededRng(1);
    expect(() => r.int(5, 1)).toThrow(InvalidArgumentError);
    expect(() => r.chance(2)).toThrow(/probability/);
    expect(() => createSeededRng(1.5)).toThrow(/seed/);
  });
});
