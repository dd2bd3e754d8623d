import type { PersistBatch } from '@raftkit/core';
import { describe, expect, it } from 'vitest';
import { DiskPersister } from '../src/index.js';
import { openSimDiskPersister, type SimDisk } from '../src/testing.js';
import { scanSegment } from '../src/wal/format.js';
import { zeroFrom } from '../src/wal/recover.js';
import { entries, modelState, seedFrom, simWorld, stateKey } from './helpers.js';

const DIR = '/srv/raft';
const seed = seedFrom(31);
console.log(`preallocation seed=${seed}`);

const append = (first: number, n: number, term = 1, size = 8): PersistBatch => ({
  append: { firstIndex: first, entries: entries(first, n, term, size) },
});

/** A segment's logical end (where its last set ends) and its file length. */
function layout(disk: SimDisk, name: string): { end: number; length: number; zeros: boolean } {
  const bytes = disk.readFileSync(`${DIR}/${name}`);
  const end = scanSegment(bytes).validEnd;
  return { end, length: bytes.length, zeros: zeroFrom(bytes, end) };
}

const files = (disk: SimDisk) => [...disk.filesSync(DIR).keys()];

describe('preallocated space on the simulated disk', () => {
  it('zero tail in the last segment: no repair, and the next save writes at the logical end', async () => {
    const { sim, disk } = simWorld(seed);
    const opts = { dir: DIR, clock: sim.clock, preallocateBytes: 1024 };
    const batches = Array.from({ length: 6 }, (_, i) => append(i + 1, 1));
    await sim.run(async () => {
      const p = await DiskPersister.open({ fs: disk.fs, ...opts });
      for (const b of batches.slice(0, 5)) await p.save(b);
      const [name] = p.segmentNames();
      const before = layout(disk, name!);
      expect(before.zeros).toBe(true);
      expect(before.length - before.end).toBeGreaterThanOrEqual(512); // at least half a chunk ahead
      disk.crash('lose-unsynced'); // the zeros were synced: all of it survives
      const q = openSimDiskPersister(disk, opts);
      expect(stateKey(q.load())).toBe(stateKey(modelState(batches.slice(0, 5))));
      await q.save(batches[5]!);
      // Written over the zeros at the logical end: the file did not grow.
      const after = layout(disk, name!);
      expect(after.end).toBeGreaterThan(before.end);
      expect(after.length).toBe(before.length);
      expect(scanSegment(disk.readFileSync(`${DIR}/${name}`)).sets).toHaveLength(7);
      disk.crash('lose-unsynced');
      const r = await DiskPersister.open({ fs: disk.fs, ...opts });
      expect(stateKey(r.load())).toBe(stateKey(modelState(batches)));
      expect(files(disk).filter((n) => n.endsWith('.broken'))).toEqual([]);
    });
  });

  it('zero fill tops up at half a chunk, never past segmentBytes', async () => {
    const { sim, disk } = simWorld(seed);
    await sim.run(async () => {
      const p = await DiskPersister.open({
        fs: disk.fs,
        dir: DIR,
        clock: sim.clock,
        segmentBytes: 4096,
        preallocateBytes: 1000,
      });
      let zeroFills = 0;
      let previous = 0;
      for (let i = 1; i <= 60; i++) {
        await p.save(append(i, 1, 1, 40));
        await p.save({}); // the zero-fill after a group runs once its saves resolved
        const name = p.segmentNames().at(-1)!;
        const { end, length } = layout(disk, name);
        if (length > previous && length > end) zeroFills += 1;
        previous = length;
        // Between groups: at least half a chunk ahead, or up to the segment size.
        expect(length - end >= 500 || length === 4096 || end >= 4096).toBe(true);
        expect(length).toBeLessThanOrEqual(Math.max(4096, end));
        if (length < 4096 && end < 4096) expect(length).toBeLessThanOrEqual(end + 1000);
      }
      expect(p.segmentNames().length).toBeGreaterThan(1);
      // Roughly one zero-fill per half chunk appended, not one per save.
      expect(zeroFills).toBeLessThan(20);
      expect(zeroFills).toBeGreaterThan(4);
    });
  });

  it('a zero tail in a middle segment (segmentBytes lowered between runs) is accepted', async () => {
    const { sim, disk } = simWorld(seed);
    const batches = Array.from({ length: 12 }, (_, i) => append(i + 1, 1));
    await sim.run(async () => {
      const p = await DiskPersister.open({ fs: disk.fs, dir: DIR, clock: sim.clock });
      for (const b of batches.slice(0, 6)) await p.save(b);
      await p.close();
      const q = await DiskPersister.open({
        fs: disk.fs,
        dir: DIR,
        clock: sim.clock,
        segmentBytes: 256,
        preallocateBytes: 64,
      });
      for (const b of batches.slice(6)) await q.save(b);
      const names = q.segmentNames();
      expect(names.length).toBeGreaterThan(1);
      const first = layout(disk, names[0]!);
      expect(first.length).toBeGreaterThan(first.end); // the old run's zeros, now in a middle segment
      expect(first.zeros).toBe(true);
      disk.crash('lose-unsynced');
      const r = await DiskPersister.open({ fs: disk.fs, dir: DIR, clock: sim.clock });
      expect(stateKey(r.load())).toBe(stateKey(modelState(batches)));
      expect(files(disk).filter((n) => n.endsWith('.broken'))).toEqual([]);
    });
  });

  it('a torn set over the zeros is cut (the .broken file holds the torn bytes only) and zero-fill resumes', async () => {
    const { sim, disk } = simWorld(seed);
    const opts = { dir: DIR, clock: sim.clock, preallocateBytes: 512 };
    await sim.run(async () => {
      const p = await DiskPersister.open({ fs: disk.fs, ...opts });
      for (let i = 1; i <= 5; i++) await p.save(append(i, 1));
      const name = p.segmentNames()[0]!;
      const before = layout(disk, name);
      let tornBytes = 0;
      disk.onMutation = (kind, path) => {
        if (kind !== 'write' || !path.endsWith('.wal')) return;
        disk.onMutation = undefined;
        // Power loss with the set's write half on the disk, over the zeros.
        disk.crash((t) => {
          if (t.path !== path) return { keep: t.ops.length };
          tornBytes = Math.floor(t.ops[0]!.bytes / 2);
          return { keep: 0, torn: tornBytes };
        });
      };
      void p.save(append(6, 3, 1, 20)); // never settles: its boot ended
      await sim.clock.sleep(50);
      expect(tornBytes).toBeGreaterThan(0);
      expect(layout(disk, name).length).toBe(before.length); // torn bytes, zeros after them
      const q = await DiskPersister.open({ fs: disk.fs, ...opts });
      expect(q.lastIndex()).toBe(5);
      const broken = files(disk).filter((n) => n.endsWith('.broken'));
      expect(broken).toEqual([`${name}.${before.end.toString(16).padStart(16, '0')}.broken`]);
      const kept = disk.readFileSync(`${DIR}/${broken[0]}`);
      expect(kept.length).toBeGreaterThan(0);
      expect(kept.length).toBeLessThanOrEqual(tornBytes);
      expect(disk.readFileSync(`${DIR}/${name}`).length).toBe(before.end); // cut at the log's end
      await q.save(append(6, 1));
      await q.save({}); // the zero-fill after a group runs once its saves resolved
      const after = layout(disk, name);
      expect(after.length).toBe(after.end + 512); // zero-fill resumed after the cut
      disk.crash('lose-unsynced');
      const r = await DiskPersister.open({ fs: disk.fs, ...opts });
      expect(r.lastIndex()).toBe(6);
    });
  });

  it('many saves across zero-filled segment rolls, reopened after crashes, recover exactly', async () => {
    const { sim, disk } = simWorld(seed);
    const opts = { dir: DIR, clock: sim.clock, segmentBytes: 1024, preallocateBytes: 512 };
    const batches: PersistBatch[] = [];
    let last = 0;
    for (let i = 0; i < 150; i++) {
      const n = 1 + (i % 3);
      batches.push({
        ...append(last + 1, n, 1, 10 + (i % 7) * 9),
        hardState: { term: 1, votedFor: i % 3 },
      });
      last += n;
    }
    await sim.run(async () => {
      let p = await DiskPersister.open({ fs: disk.fs, ...opts });
      let rolls = 0;
      for (let i = 0; i < batches.length; i += 10) {
        await Promise.all(batches.slice(i, i + 10).map((b) => p.save(b)));
        if (i % 30 === 20) {
          disk.crash('lose-unsynced');
          p = openSimDiskPersister(disk, opts);
          expect(stateKey(p.load())).toBe(stateKey(modelState(batches.slice(0, i + 10))));
        }
        rolls = Math.max(rolls, p.segmentNames().length);
      }
      expect(rolls).toBeGreaterThan(5);
      // Full segments hold no zeros past segmentBytes; the active one has zeros ahead.
      const names = p.segmentNames();
      for (const name of names.slice(0, -1))
        expect(layout(disk, name).length).toBeLessThanOrEqual(
          Math.max(1024, layout(disk, name).end),
        );
      disk.crash('lose-unsynced');
      const q = await DiskPersister.open({ fs: disk.fs, ...opts });
      expect(stateKey(q.load())).toBe(stateKey(modelState(batches)));
      expect(files(disk).filter((n) => n.endsWith('.broken'))).toEqual([]);
    });
  });

  it('preallocateBytes: 0 writes no zeros: every file ends at its last set, one write per datasync', async () => {
    const { sim, disk } = simWorld(seed);
    const opts = { dir: DIR, clock: sim.clock, segmentBytes: 512, preallocateBytes: 0 };
    await sim.run(async () => {
      const p = await DiskPersister.open({ fs: disk.fs, ...opts });
      const events: string[] = [];
      disk.onMutation = (kind, path) => {
        if (path.endsWith('.wal')) events.push(kind);
      };
      for (let i = 1; i <= 30; i++) await p.save(append(i, 1));
      expect(events.filter((e) => e === 'write')).toHaveLength(30 + p.segmentNames().length);
      expect(events.filter((e) => e === 'datasync')).toHaveLength(30 + p.segmentNames().length);
      for (const name of p.segmentNames()) {
        const { end, length } = layout(disk, name);
        expect(length).toBe(end);
      }
      disk.crash('lose-unsynced');
      const q = await DiskPersister.open({ fs: disk.fs, ...opts });
      expect(q.lastIndex()).toBe(30);
    });
  });

  it('validates preallocateBytes', async () => {
    for (const bad of [
      -1,
      1.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      '4096' as unknown as number,
    ]) {
      await expect(DiskPersister.open({ dir: '/x', preallocateBytes: bad })).rejects.toThrow(
        /preallocateBytes must be an integer ≥ 0 \(0 disables preallocation\), got/,
      );
    }
  });
});
