import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Clock,
  createCryptoRng,
  RealClock,
  RealTimeInSimulationError,
  simulationRunning,
} from '@raftkit/core';
import { Simulation, SimulationStalledError } from '../src/index.js';

/** Sets `delays` timers at staggered instants on `clock`; returns each (deadline, fired-at) pair. */
async function fireAll(sim: Simulation, clock: Clock, starts: number[], delays: number[]) {
  const out: { deadline: number; firedAt: number }[] = [];
  await sim.run(async () => {
    await Promise.all(
      starts.map(async (start, i) => {
        await sim.clock.sleep(start);
        const deadline = clock.now() + delays[i]!;
        await new Promise<void>((resolve) =>
          clock.setTimer(delays[i]!, () => {
            out.push({ deadline, firedAt: clock.now() });
            resolve();
          }),
        );
      }),
    );
  });
  return out;
}

const times = fc.array(fc.double({ min: 0, max: 5000, noNaN: true }), {
  minLength: 1,
  maxLength: 20,
});

describe('the Clock contract: a timer fires only when now() has reached its deadline', () => {
  it('holds for the virtual clock at fractional times', async () => {
    await fc.assert(
      fc.asyncProperty(times, times, async (starts, delays) => {
        const sim = new Simulation({ seed: 1, printTrace: false });
        const fired = await fireAll(
          sim,
          sim.clock,
          starts,
          delays.concat(starts).slice(0, starts.length),
        );
        for (const f of fired) expect(f.firedAt).toBeGreaterThanOrEqual(f.deadline);
      }),
      { numRuns: 100 },
    );
  });

  it('holds for drifting views, whose time runs at their own rate', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.double({ min: 0.5, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        times,
        times,
        async (rate, offset, starts, delays) => {
          const sim = new Simulation({ seed: 1, printTrace: false });
          await sim.run(() => sim.clock.sleep(offset));
          const view = sim.clock.withRate(rate);
          const d = delays.concat(starts).slice(0, starts.length);
          const fired = await fireAll(sim, view, starts, d);
          for (const f of fired) expect(f.firedAt).toBeGreaterThanOrEqual(f.deadline);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a view with rate 1.05 measures 5 % more time than the simulation', async () => {
    const sim = new Simulation({ seed: 1, printTrace: false });
    const fast = sim.clock.withRate(1.05);
    const slow = sim.clock.withRate(0.95);
    const a = fast.now();
    const b = slow.now();
    await sim.run(() => sim.clock.sleep(1000));
    expect(fast.now() - a).toBeCloseTo(1050, 6);
    expect(slow.now() - b).toBeCloseTo(950, 6);
    // A 100 ms timer on the fast view fires after 100/1.05 ms of simulation time.
    const t0 = sim.clock.now();
    await sim.run(() => fast.sleep(100));
    expect(sim.clock.now() - t0).toBeCloseTo(100 / 1.05, 6);
    expect(sim.clock.withRate(1)).toBe(sim.clock);
    expect(() => sim.clock.withRate(3)).toThrow(/rate must be a number in \[0.5, 2\]/);
  });
});

describe('Simulation step hooks and stops', () => {
  it('runs a step hook after every event; a throwing hook fails the run', async () => {
    const sim = new Simulation({ seed: 1, printTrace: false });
    let steps = 0;
    let ticks = 0;
    const off = sim.onStep(() => {
      steps += 1;
      if (ticks > 5) throw new Error('invariant broken at tick 6');
    });
    const ticking = async () => {
      for (;;) {
        await sim.clock.sleep(10);
        ticks += 1;
      }
    };
    await expect(sim.run(ticking)).rejects.toThrow('invariant broken at tick 6');
    expect(steps).toBeGreaterThanOrEqual(6);
    // A removed hook no longer runs.
    const other = new Simulation({ seed: 1, printTrace: false });
    let calls = 0;
    other.onStep(() => {
      calls += 1;
    })();
    await other.run(() => other.clock.sleep(50));
    expect(calls).toBe(0);
    off();
  });

  it('shouldStop ends a run that never finishes with a stall error naming the reason', async () => {
    const sim = new Simulation({ seed: 1, printTrace: false });
    let polls = 0;
    const forever = async () => {
      for (;;) await sim.clock.sleep(1);
    };
    const error = await sim
      .run(forever, { shouldStop: () => (++polls === 3 ? 'watchdog: too long' : undefined) })
      .catch((e: unknown) => e);
    expect(SimulationStalledError.isInstance(error)).toBe(true);
    expect(String(error)).toMatch(/watchdog: too long/);
    expect(sim.eventCount).toBe(3 * 1024 - 1);
  });
});

describe('no real time inside a running simulation', () => {
  it('RealClock and createCryptoRng refuse while a run is active, and work again after', async () => {
    const sim = new Simulation({ seed: 1, printTrace: false });
    const outside = new RealClock();
    const attempts = await sim.run(async () => {
      const errors: unknown[] = [];
      expect(simulationRunning()).toBe(true);
      for (const f of [() => new RealClock(), () => outside.now(), () => createCryptoRng()]) {
        try {
          f();
        } catch (error) {
          errors.push(error);
        }
      }
      return errors;
    });
    expect(attempts).toHaveLength(3);
    for (const e of attempts) expect(RealTimeInSimulationError.isInstance(e)).toBe(true);
    expect(simulationRunning()).toBe(false);
    expect(outside.now()).toBeGreaterThanOrEqual(0);
    expect(createCryptoRng().int(1, 6)).toBeGreaterThanOrEqual(1);
  });
});
