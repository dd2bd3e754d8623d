import { Simulation } from '@raftkit/labrpc';
import type { LogEntry, PersistBatch, PersistedState } from '@raftkit/core';
import { MemoryPersister } from '../src/index.js';
import { SimDisk, type SimDiskOptions } from '../src/testing.js';

/** The seed of a simulated test: SEED from the environment, else `fallback`. Printed by the caller. */
export function seedFrom(fallback: number): number {
  const env = process.env.SEED;
  return env === undefined || env === '' ? fallback : Number(env);
}

/** A simulation and a simulated disk on its clock and its own rng stream. */
export function simWorld(
  seed: number | string,
  options: Partial<SimDiskOptions> = {},
): { sim: Simulation; disk: SimDisk } {
  const sim = new Simulation({ seed });
  const disk = new SimDisk({ clock: sim.clock, rng: sim.rng.fork('disk'), ...options });
  return { sim, disk };
}

export const entries = (from: number, n: number, term = 1, size = 8): LogEntry[] =>
  Array.from({ length: n }, (_, i) => ({ term, command: `c${from + i}:${'x'.repeat(size)}` }));

/** The state `batches` produce in the reference persister. */
export function modelState(batches: readonly PersistBatch[]): PersistedState {
  const m = new MemoryPersister();
  for (const b of batches) m.save(b);
  return m.load();
}

/** Prefix models: models[j] is the state after the first j batches. */
export function prefixModels(batches: readonly PersistBatch[]): PersistedState[] {
  const m = new MemoryPersister();
  const out = [m.load()];
  for (const b of batches) {
    m.save(b);
    out.push(m.load());
  }
  return out;
}

/** A canonical string of a state, for comparisons. */
export function stateKey(s: PersistedState): string {
  return JSON.stringify({
    h: s.hardState,
    m: s.snapshotMeta,
    s: Buffer.from(s.snapshot).toString('hex'),
    e: s.entries,
  });
}
