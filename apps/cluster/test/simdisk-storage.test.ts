import { Simulation } from '@raftkit/labrpc';
import { afterEach, describe, expect, it } from 'vitest';
import { newHarnessStorage } from '../src/harness-storage.js';
import { findLabTest } from '../src/lab/registry.js';
import { runLabTest } from '../src/lab/run-lab-test.js';
import { seedFor } from '../src/lab/seed.js';

const saved = process.env.RAFTKIT_STORAGE;
afterEach(() => {
  if (saved === undefined) delete process.env.RAFTKIT_STORAGE;
  else process.env.RAFTKIT_STORAGE = saved;
});

describe('RAFTKIT_STORAGE=simdisk: the lab harnesses on DiskPersister over a simulated disk', () => {
  it('copy() is a power loss: acknowledged saves survive, the old incarnation is cut off', async () => {
    const sim = new Simulation({ seed: 5 });
    await sim.run(async () => {
      const a = newHarnessStorage(sim, '0', { RAFTKIT_STORAGE: 'simdisk' });
      await a.save({
        append: { firstIndex: 1, entries: [{ term: 1, command: 'x' }] },
        hardState: { term: 1, votedFor: 0 },
      });
      const zombie = a.save({ append: { firstIndex: 2, entries: [{ term: 1, command: 'y' }] } });
      const b = a.copy();
      const state = b.load();
      expect(state.entries.map((e) => e.command).slice(0, 1)).toEqual(['x']);
      expect(state.entries.length).toBeLessThanOrEqual(2);
      expect(state.hardState).toEqual({ term: 1, votedFor: 0 });
      let settled = false;
      void Promise.resolve(zombie).finally(() => {
        settled = true;
      });
      await b.save({
        append: { firstIndex: state.entries.length + 1, entries: [{ term: 2, command: 'z' }] },
      });
      await sim.clock.sleep(100);
      expect(settled).toBe(false); // the dead incarnation never learns the outcome
    });
    expect(() => newHarnessStorage(sim, '0', { RAFTKIT_STORAGE: 'disk' })).toThrow(
      /"memory" or "simdisk"/,
    );
  });

  it('a crash-heavy lab test passes on the simulated disk, and one seed gives one trace', {
    timeout: 300_000,
  }, async () => {
    process.env.RAFTKIT_STORAGE = 'simdisk';
    const test = findLabTest('TestSnapshotInstallCrash3D')!;
    const seed = seedFor('simdisk');
    console.log(`RAFTKIT_STORAGE=simdisk TestSnapshotInstallCrash3D seed=${seed}`);
    const a = await runLabTest(test, seed);
    const b = await runLabTest(test, seed);
    expect(a.ok, a.error).toBe(true);
    expect(b.traceHash).toBe(a.traceHash);
    delete process.env.RAFTKIT_STORAGE;
    const memory = await runLabTest(test, seed);
    expect(memory.ok, memory.error).toBe(true);
    expect(memory.traceHash).not.toBe(a.traceHash); // the disk's latencies change the run
  });
});
