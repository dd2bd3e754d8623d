import type { PersistBatch } from '@raftkit/core';
import { createSeededRng, Simulation } from '@raftkit/labrpc';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiskPersister } from '../src/index.js';
import { scanSegment } from '../src/wal/format.js';
import { zeroFrom } from '../src/wal/recover.js';
import { capture, DIR, matchPrefix, modelKeys, recoverAt, tearChoices } from './crash-points.js';
import { entries, seedFrom, stateKey } from './helpers.js';

const SEGMENT = 256;
/** Small, so that zero-fill writes (capped at the segment size), their syncs and crashes inside them are enumerated. */
const PREALLOCATE = 256;

const snap = (index: number, term: number, n: number): PersistBatch => ({
  snapshot: {
    meta: { index, term },
    data: Uint8Array.from({ length: n }, (_, i) => (index * 7 + i) & 255),
  },
});

/** Saves in waves (a wave is submitted at once, so it shares datasyncs): every kind of batch. */
const WAVES: PersistBatch[][] = [
  [{ hardState: { term: 1, votedFor: 0 } }],
  [
    { append: { firstIndex: 1, entries: entries(1, 3) } },
    { append: { firstIndex: 4, entries: entries(4, 1) } },
  ],
  [{ append: { firstIndex: 5, entries: entries(5, 6, 1, 30) } }],
  [
    {
      truncateFrom: 8,
      append: { firstIndex: 8, entries: entries(8, 2, 2) },
      hardState: { term: 2, votedFor: 1 },
    },
  ],
  [snap(6, 1, 50)],
  [
    { append: { firstIndex: 10, entries: entries(10, 5, 2) } },
    { append: { firstIndex: 15, entries: entries(15, 1, 2) } },
    { hardState: { term: 3, votedFor: -1 } },
  ],
  [snap(20, 3, 20)],
  [{ append: { firstIndex: 21, entries: entries(21, 5, 3) } }, {}],
  [snap(23, 3, 30), { append: { firstIndex: 26, entries: entries(26, 1, 3) } }],
  [{ truncateFrom: 25, hardState: { term: 4, votedFor: 2 } }],
];

describe('crash-point enumeration on the simulated disk', () => {
  it('recovers a prefix holding every resolved save, after a crash at every mutation with every torn length', async () => {
    const seed = seedFrom(12);
    console.log(`crash enumeration seed=${seed}`);
    const models = modelKeys(WAVES);
    const points = await capture(seed, WAVES, SEGMENT, PREALLOCATE);
    const rng = createSeededRng(seed).fork('choices');
    let outcomes = 0;
    let torn = 0;
    let zeroFills = 0;
    const kinds = new Set<string>();
    for (const point of points) {
      kinds.add(point.kind);
      if (point.kind === 'write' && point.path.endsWith('.wal')) {
        // A write after which the segment ends in preallocated zeros (a zero-fill, or a set written into them).
        const bytes = point.image.readFileSync(point.path);
        const end = scanSegment(bytes).validEnd;
        if (end < bytes.length && zeroFrom(bytes, end)) zeroFills += 1;
      }
      for (const choice of tearChoices(point.image.pendingTargets(), 5000, rng)) {
        const { state } = recoverAt(point, choice, SEGMENT, PREALLOCATE);
        matchPrefix(state, models, point);
        outcomes += 1;
        if ([...choice.values()].some((c) => (c.torn ?? 0) > 0)) torn += 1;
      }
    }
    console.log(
      `${points.length} crash points (${zeroFills} writes leaving preallocated zeros), ${outcomes} crash outcomes (${torn} with a torn write)`,
    );
    expect(zeroFills).toBeGreaterThanOrEqual(2);
    // Every kind of mutation the persister makes was a crash point.
    expect([...kinds].sort()).toEqual([
      'create',
      'datasync',
      'mkdir',
      'remove',
      'rename',
      'syncDir',
      'truncate',
      'write',
    ]);
    expect(points.length).toBeGreaterThan(60);
    expect(torn).toBeGreaterThan(1000);
  });

  it('repairs are durable and idempotent: recover with open(), crash again at once, recover the same state', async () => {
    const seed = seedFrom(13);
    console.log(`repair seed=${seed}`);
    const models = modelKeys(WAVES);
    const points = await capture(seed, WAVES, SEGMENT, PREALLOCATE);
    const rng = createSeededRng(seed).fork('choices');
    let checked = 0;
    // A sample: each crash point with one random outcome (the full product is covered above).
    for (const point of points) {
      const choices = tearChoices(point.image.pendingTargets(), 5000, rng);
      const choice = choices[rng.int(0, choices.length - 1)]!;
      const { disk, state } = recoverAt(point, choice, SEGMENT, PREALLOCATE);
      const j = matchPrefix(state, models, point);
      const sim = new Simulation({ seed: `${seed}-${point.count}` });
      const fresh = disk.clone({ clock: sim.clock, rng: sim.rng.fork('disk') });
      fresh.crash('lose-unsynced'); // the synchronous opener's startup never ran on `disk`
      await sim.run(async () => {
        const p = await DiskPersister.open({
          fs: fresh.fs,
          dir: DIR,
          clock: sim.clock,
          segmentBytes: SEGMENT,
          preallocateBytes: PREALLOCATE,
        });
        expect(stateKey(p.load())).toBe(models[j]);
        // The repaired directory holds only verified sets: a crash now loses nothing.
        fresh.crash('random');
        const q = await DiskPersister.open({
          fs: fresh.fs,
          dir: DIR,
          clock: sim.clock,
          segmentBytes: SEGMENT,
          preallocateBytes: PREALLOCATE,
        });
        expect(stateKey(q.load())).toBe(models[j]);
        // And it keeps working: one more save survives a crash.
        const last = q.lastIndex();
        await q.save({
          append: { firstIndex: last + 1, entries: entries(last + 1, 1, 9) },
          hardState: { term: 9, votedFor: 0 },
        });
        fresh.crash('random');
        const r = await DiskPersister.open({
          fs: fresh.fs,
          dir: DIR,
          clock: sim.clock,
          segmentBytes: SEGMENT,
          preallocateBytes: PREALLOCATE,
        });
        expect(r.lastIndex()).toBe(last + 1);
        expect(r.load().hardState).toEqual({ term: 9, votedFor: 0 });
      });
      checked += 1;
    }
    expect(checked).toBe(points.length);
  });

  it('random save sequences: every crash point, a sample of torn lengths (fast-check)', async () => {
    const seed = seedFrom(14);
    console.log(`fast-check seed=${seed}`);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(6), fc.nat(3), fc.nat(40)), { minLength: 4, maxLength: 14 }),
        fc.nat(1000),
        fc.constantFrom(0, 100, 256, 1024),
        async (ops, runSeed, preallocate) => {
          const waves = buildWaves(ops);
          const models = modelKeys(waves);
          const points = await capture(runSeed, waves, 300, preallocate);
          const rng = createSeededRng(runSeed).fork('choices');
          for (const point of points) {
            for (const choice of tearChoices(point.image.pendingTargets(), 60, rng))
              matchPrefix(recoverAt(point, choice, 300, preallocate).state, models, point);
          }
        },
      ),
      { seed, numRuns: 6 },
    );
  });
});

/** Turns (kind, count, size) triples into valid waves of batches. */
function buildWaves(ops: readonly [number, number, number][]): PersistBatch[][] {
  let last = 0;
  let snapIndex = 0;
  let term = 1;
  const waves: PersistBatch[][] = [];
  let wave: PersistBatch[] = [];
  for (const [kind, count, size] of ops) {
    if (kind <= 2) {
      wave.push({
        append: { firstIndex: last + 1, entries: entries(last + 1, count + 1, term, size) },
      });
      last += count + 1;
    } else if (kind === 3 && last > snapIndex) {
      const from = Math.max(snapIndex + 1, last - count);
      term += 1;
      wave.push({ truncateFrom: from, hardState: { term, votedFor: count - 1 } });
      last = from - 1;
    } else if (kind === 4) {
      const index = snapIndex + count;
      wave.push({ snapshot: { meta: { index, term }, data: new Uint8Array(size).fill(index) } });
      snapIndex = index;
      last = Math.max(last, index);
    } else if (kind === 5) {
      wave.push({ hardState: { term, votedFor: count } });
    }
    if (kind === 6 || wave.length > count) {
      if (wave.length > 0) waves.push(wave);
      wave = [];
    }
  }
  if (wave.length > 0) waves.push(wave);
  return waves;
}
