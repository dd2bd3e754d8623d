import type { PersistBatch, PersistedState, Rng } from '@raftkit/core';
import { Simulation, VirtualClock } from '@raftkit/labrpc';
import { DiskPersister } from '../src/index.js';
import {
  type CrashKeep,
  openSimDiskPersister,
  type PendingTarget,
  SimDisk,
} from '../src/testing.js';
import { prefixModels, stateKey } from './helpers.js';

export const DIR = '/node/data';

/** The disk right after one mutation, and what the process had seen by then. */
export interface CrashPoint {
  count: number;
  kind: string;
  path: string;
  image: SimDisk;
  /** Saves whose promise had resolved. */
  resolved: number;
  /** Saves submitted (called). */
  submitted: number;
}

/**
 * Runs `waves` (each wave's saves submitted together, then awaited) on a
 * fresh simulated disk and captures a copy of the disk after every mutation.
 */
export async function capture(
  seed: number,
  waves: readonly PersistBatch[][],
  segmentBytes: number,
  preallocateBytes: number,
): Promise<CrashPoint[]> {
  const sim = new Simulation({ seed });
  const disk = new SimDisk({ clock: sim.clock, rng: sim.rng.fork('disk') });
  const points: CrashPoint[] = [];
  let resolved = 0;
  let submitted = 0;
  disk.onMutation = (kind, path, count) => {
    points.push({
      count,
      kind,
      path,
      image: disk.clone({ clock: new VirtualClock() }),
      resolved,
      submitted,
    });
  };
  await sim.run(async () => {
    const p = await DiskPersister.open({
      fs: disk.fs,
      dir: DIR,
      clock: sim.clock,
      segmentBytes,
      preallocateBytes,
    });
    for (const wave of waves) {
      const done = wave.map((b) => {
        submitted += 1;
        const n = submitted;
        return p.save(b).then(() => {
          if (n !== resolved + 1) throw new Error(`save ${n} resolved out of order`);
          resolved = n;
        });
      });
      await Promise.all(done);
    }
    await p.close();
  });
  if (resolved !== waves.flat().length) throw new Error('not every save resolved');
  return points;
}

/** Every crash outcome of the pending changes (the product of per-target choices), or a sample of `limit`. */
export function tearChoices(
  targets: readonly PendingTarget[],
  limit: number,
  rng: Rng,
): Map<string, CrashKeep>[] {
  const options = targets.map((t) => {
    const out: CrashKeep[] = [];
    t.ops.forEach((op, k) => {
      if (t.kind === 'file' && op.kind === 'write')
        for (let torn = 0; torn < op.bytes; torn++) out.push({ keep: k, torn });
      else out.push({ keep: k });
    });
    out.push({ keep: t.ops.length });
    return out;
  });
  const total = options.reduce((n, o) => n * o.length, 1);
  const pick = (indices: number[]) =>
    new Map(targets.map((t, i) => [t.path, options[i]![indices[i]!]!]));
  const result: Map<string, CrashKeep>[] = [];
  if (total <= limit) {
    const idx = targets.map(() => 0);
    for (let n = 0; n < total; n++) {
      result.push(pick(idx));
      for (let i = 0; i < idx.length; i++) {
        idx[i]! += 1;
        if (idx[i]! < options[i]!.length) break;
        idx[i] = 0;
      }
    }
    return result;
  }
  result.push(pick(options.map(() => 0)));
  result.push(pick(options.map((o) => o.length - 1)));
  while (result.length < limit) result.push(pick(options.map((o) => rng.int(0, o.length - 1))));
  return result;
}

/** Crashes a copy of the point's disk with `choice` and recovers synchronously. */
export function recoverAt(
  point: CrashPoint,
  choice: Map<string, CrashKeep>,
  segmentBytes: number,
  preallocateBytes: number,
): { disk: SimDisk; state: PersistedState } {
  const disk = point.image.clone({ clock: new VirtualClock() });
  disk.crash((t) => choice.get(t.path) ?? { keep: 0 });
  const p = openSimDiskPersister(disk, { dir: DIR, segmentBytes, preallocateBytes });
  return { disk, state: p.load() };
}

/** Checks that `state` equals the state after j saves for some resolved ≤ j ≤ submitted; returns j. */
export function matchPrefix(
  state: PersistedState,
  models: readonly string[],
  point: CrashPoint,
): number {
  const key = stateKey(state);
  for (let j = point.resolved; j <= point.submitted; j++) if (models[j] === key) return j;
  throw new Error(
    `after mutation #${point.count} (${point.kind} ${point.path}) recovery gave a state that is not the state after j saves for any j in [${point.resolved}, ${point.submitted}]: ${key}`,
  );
}

export function modelKeys(waves: readonly PersistBatch[][]): string[] {
  return prefixModels(waves.flat()).map(stateKey);
}
