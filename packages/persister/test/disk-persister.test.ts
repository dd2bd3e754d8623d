import type { PersistBatch } from '@raftkit/core';
import { describe, expect, it } from 'vitest';
import {
  DataDirLockedError,
  DiskPersister,
  InvalidPersistBatchError,
  MemoryPersister,
  StorageFailedError,
  WalCorruptionError,
} from '../src/index.js';
import { openSimDiskPersister } from '../src/testing.js';
import { scanSegment } from '../src/wal/format.js';
import { entries, modelState, seedFrom, simWorld, stateKey } from './helpers.js';

const DIR = '/srv/raft';
const seed = seedFrom(21);
console.log(`disk-persister seed=${seed}`);

const append = (first: number, n: number, term = 1): PersistBatch => ({
  append: { firstIndex: first, entries: entries(first, n, term) },
});

describe('DiskPersister on the simulated disk', () => {
  it('group commit: 64 concurrent saves share a few datasyncs and each resolves only after one', async () => {
    const { sim, disk } = simWorld(seed);
    await sim.run(async () => {
      const p = await DiskPersister.open({ fs: disk.fs, dir: DIR, clock: sim.clock });
      const events: string[] = [];
      disk.onMutation = (kind) => events.push(kind);
      const saves = Array.from({ length: 64 }, (_, i) =>
        p.save(append(i + 1, 1)).then(() => events.push(`resolve ${i}`)),
      );
      await Promise.all(saves);
      const syncs = events.filter((e) => e === 'datasync').length;
      const writes = events.filter((e) => e === 'write').length;
      // The segment header, the first save alone, the zero-fill after it, then the rest together.
      expect(syncs).toBeLessThanOrEqual(4);
      expect(writes).toBe(syncs); // one write per datasync: header, zero-fill, one writev per group
      // Nothing resolves before the datasync that followed its write.
      const firstResolve = events.findIndex((e) => e.startsWith('resolve'));
      expect(events.slice(0, firstResolve)).toContain('datasync');
      expect(events[events.length - 1]).toBe('resolve 63');
      disk.crash('lose-unsynced');
      const q = openSimDiskPersister(disk, { dir: DIR });
      expect(q.lastIndex()).toBe(64);
    });
  });

  it('keeps the lab sizes and load() of the in-memory persister', async () => {
    const { sim, disk } = simWorld(seed);
    const batches: PersistBatch[] = [
      { ...append(1, 5), hardState: { term: 1, votedFor: 2 } },
      { truncateFrom: 4, ...append(4, 3, 2) },
      { snapshot: { meta: { index: 3, term: 1 }, data: new Uint8Array([1, 2, 3, 4]) } },
      { hardState: { term: 2, votedFor: -1 } },
    ];
    await sim.run(async () => {
      const p = await DiskPersister.open({ fs: disk.fs, dir: DIR, clock: sim.clock });
      const m = new MemoryPersister();
      for (const b of batches) {
        m.save(b);
        await p.save(b);
        expect(p.raftStateSize()).toBe(m.raftStateSize());
        expect(p.snapshotSize()).toBe(m.snapshotSize());
      }
      expect(stateKey(p.load())).toBe(stateKey(m.load()));
      expect([...p.readSnapshot()]).toEqual([1, 2, 3, 4]);
      await p.close();
      const q = await DiskPersister.open({ fs: disk.fs, dir: DIR, clock: sim.clock });
      expect(stateKey(q.load())).toBe(stateKey(modelState(batches)));
      expect(q.raftStateSize()).toBe(m.raftStateSize());
    });
  });

  it('rejects an invalid batch synchronously and changes nothing', async () => {
    const { sim, disk } = simWorld(seed);
    await sim.run(async () => {
      const p = await DiskPersister.open({ fs: disk.fs, dir: DIR, clock: sim.clock });
      await p.save(append(1, 2));
      const before = stateKey(p.load());
      expect(() => p.save(append(5, 1))).toThrow(InvalidPersistBatchError);
      expect(() => p.save({ hardState: { term: -1, votedFor: 0 } })).toThrow(/hardState.term/);
      expect(stateKey(p.load())).toBe(before);
      await p.save(append(3, 1));
      expect(p.lastIndex()).toBe(3);
    });
  });

  it('validates its options', async () => {
    await expect(DiskPersister.open({ dir: 'relative' })).rejects.toThrow(
      /absolute directory path/,
    );
    await expect(DiskPersister.open({ dir: '/x', segmentBytes: 10 })).rejects.toThrow(
      /segmentBytes/,
    );
  });

  for (const fault of [
    { op: 'datasync', code: 'EIO' },
    { op: 'write', code: 'EIO' },
    { op: 'write', code: 'ENOSPC' },
    { op: 'syncDir', code: 'EIO' },
  ] as const) {
    it(`a ${fault.code} on ${fault.op} is terminal: that save and every later one fail, nothing is retried`, async () => {
      const { sim, disk } = simWorld(seed);
      await sim.run(async () => {
        const p = await DiskPersister.open({
          fs: disk.fs,
          dir: DIR,
          clock: sim.clock,
          segmentBytes: 256,
        });
        let acked = 0;
        for (let i = 1; i <= 5; i++) {
          await p.save(append(i, 1));
          acked = i;
        }
        disk.injectFault(fault);
        let mutationsAfterFailure = 0;
        const results = await Promise.allSettled(
          Array.from({ length: 20 }, (_, k) =>
            p
              .save(
                k === 0
                  ? { snapshot: { meta: { index: 3, term: 1 }, data: new Uint8Array(9) } }
                  : append(5 + k, 1, 1),
              )
              .then(() => {
                acked = Math.max(acked, 4 + k);
              }),
          ),
        );
        disk.onMutation = () => {
          mutationsAfterFailure += 1;
        };
        const failed = results.filter((r) => r.status === 'rejected');
        expect(failed.length).toBeGreaterThan(0);
        for (const r of failed)
          expect(StorageFailedError.isInstance((r as PromiseRejectedResult).reason)).toBe(true);
        // Saves after the first failure all failed (the order of resolution is the order of saves).
        const firstFailed = results.findIndex((r) => r.status === 'rejected');
        expect(results.slice(firstFailed).every((r) => r.status === 'rejected')).toBe(true);
        expect(p.failed?.message).toMatch(/never retries a sync/);
        await expect(p.save(append(p.lastIndex() + 1, 1))).rejects.toBeInstanceOf(
          StorageFailedError,
        );
        await sim.clock.sleep(100);
        expect(mutationsAfterFailure).toBe(0);
        // Restart: everything acknowledged is there.
        disk.crash('random');
        const q = await DiskPersister.open({
          fs: disk.fs,
          dir: DIR,
          clock: sim.clock,
          segmentBytes: 256,
        });
        expect(q.lastIndex()).toBeGreaterThanOrEqual(acked);
        await q.save(append(q.lastIndex() + 1, 1));
      });
    });
  }

  it('snapshots: written under a temporary name, renamed, older snapshots and covered segments deleted', async () => {
    const { sim, disk } = simWorld(seed);
    await sim.run(async () => {
      const p = await DiskPersister.open({
        fs: disk.fs,
        dir: DIR,
        clock: sim.clock,
        segmentBytes: 300,
      });
      const renames: string[] = [];
      disk.onMutation = (kind, path) => {
        if (kind === 'rename') renames.push(path);
      };
      for (let i = 1; i <= 40; i++) await p.save(append(i, 1));
      expect(p.segmentNames().length).toBeGreaterThan(3);
      await p.save({
        snapshot: { meta: { index: 10, term: 1 }, data: new Uint8Array(100).fill(1) },
      });
      await p.save({
        snapshot: { meta: { index: 38, term: 1 }, data: new Uint8Array(100).fill(2) },
      });
      await p.save({}); // resolves once the compaction before it is done
      expect(renames.length).toBe(2);
      expect(renames[1]).toMatch(/snap-0000000000000026-0000000000000001-[0-9a-f]{8}\.snap$/);
      const names = [...disk.filesSync(DIR).keys()];
      expect(names.filter((n) => n.endsWith('.snap'))).toHaveLength(1);
      expect(names.filter((n) => n.endsWith('.tmp'))).toHaveLength(0);
      expect(p.segmentNames().length).toBeLessThanOrEqual(2);
      expect(names.filter((n) => n.endsWith('.wal'))).toEqual(p.segmentNames());
      disk.crash('lose-unsynced');
      const q = openSimDiskPersister(disk, { dir: DIR, segmentBytes: 300 });
      expect(q.load().snapshotMeta).toEqual({ index: 38, term: 1 });
      expect(q.load().entries.map((e) => e.command)).toEqual([
        entries(39, 2)[0]!.command,
        entries(40, 1)[0]!.command,
      ]);
      expect([...q.readSnapshot()]).toEqual(new Array(100).fill(2));
    });
  });

  it('a snapshot file recovery removed is not removed again by the next compaction (swarm seed 20123)', async () => {
    const { sim, disk } = simWorld(seed);
    await sim.run(async () => {
      const p = await DiskPersister.open({ fs: disk.fs, dir: DIR, clock: sim.clock });
      for (let i = 1; i <= 20; i++) await p.save(append(i, 1));
      await p.save({ snapshot: { meta: { index: 10, term: 1 }, data: new Uint8Array(8) } });
      // A snapshot file the log never came to reference (a crash after its rename, before
      // the log record naming it was synced): recovery removes it.
      const orphan = `${DIR}/snap-000000000000000f-0000000000000001-0badf00d.snap`;
      const fh = await disk.fs.open(orphan, 'create');
      await fh.write(new Uint8Array(16).fill(7), 0);
      await fh.datasync();
      await fh.close();
      await disk.fs.syncDir(DIR);
      disk.crash('lose-unsynced');
      const q = await DiskPersister.open({ fs: disk.fs, dir: DIR, clock: sim.clock });
      expect([...disk.filesSync(DIR).keys()].some((n) => orphan.endsWith(n))).toBe(false);
      await q.save({ snapshot: { meta: { index: 18, term: 1 }, data: new Uint8Array(8) } });
      await q.save({}); // resolves once the compaction before it is done
      const snaps = [...disk.filesSync(DIR).keys()].filter((n) => n.endsWith('.snap'));
      expect(snaps).toEqual([expect.stringMatching(/^snap-0000000000000012-/)]);
    });
  });

  it('recovery cuts a torn tail, keeps the cut bytes in a .broken file, and refuses corruption elsewhere', async () => {
    const { sim, disk } = simWorld(seed);
    await sim.run(async () => {
      const p = await DiskPersister.open({
        fs: disk.fs,
        dir: DIR,
        clock: sim.clock,
        segmentBytes: 1 << 20,
      });
      for (let i = 1; i <= 10; i++) await p.save(append(i, 1));
      const [segment] = p.segmentNames();
      const path = `${DIR}/${segment}`;
      // The log's end (preallocated zeros follow it).
      const size = scanSegment(disk.readFileSync(path)).validEnd;
      expect(disk.readFileSync(path).length).toBeGreaterThan(size);
      // A flipped bit in the last set looks like a torn write: cut (and kept aside).
      disk.flipBit(path, size - 3, 1);
      disk.crash('lose-unsynced');
      let q = await DiskPersister.open({ fs: disk.fs, dir: DIR, clock: sim.clock });
      expect(q.lastIndex()).toBe(9);
      const broken = [...disk.filesSync(DIR).keys()].filter((n) => n.endsWith('.broken'));
      expect(broken).toHaveLength(1);
      expect(disk.readFileSync(path).length).toBeLessThan(size);
      await q.close();
      // A flipped bit in a middle set: refused, naming the file and the offset of that set.
      disk.flipBit(path, 200, 4);
      disk.crash('lose-unsynced');
      const error = await DiskPersister.open({ fs: disk.fs, dir: DIR, clock: sim.clock }).catch(
        (e: unknown) => e,
      );
      expect(WalCorruptionError.isInstance(error)).toBe(true);
      const { file, offset } = error as WalCorruptionError;
      expect(file).toBe(path);
      expect(offset).toBeLessThanOrEqual(200);
      expect(offset).toBeGreaterThan(100);
      expect((error as Error).message).toMatch(/not a torn tail/);
      // Nothing was changed, and the lock was released: fixing the bit lets it open.
      disk.flipBit(path, 200, 4);
      q = await DiskPersister.open({ fs: disk.fs, dir: DIR, clock: sim.clock });
      expect(q.lastIndex()).toBe(9);
    });
  });

  it('a snapshot at index 0 with a term and data survives a restart (fast-check SEED=1..5, 7, 8, 10, 11)', async () => {
    const { sim, disk } = simWorld(seed);
    const batches: PersistBatch[] = [
      append(1, 2),
      { snapshot: { meta: { index: 0, term: 1 }, data: new Uint8Array([5]) } },
      append(3, 1),
    ];
    await sim.run(async () => {
      const p = await DiskPersister.open({ fs: disk.fs, dir: DIR, clock: sim.clock });
      for (const b of batches) await p.save(b);
      disk.crash('lose-unsynced');
      const q = await DiskPersister.open({ fs: disk.fs, dir: DIR, clock: sim.clock });
      expect(stateKey(q.load())).toBe(stateKey(modelState(batches)));
      expect([...q.readSnapshot()]).toEqual([5]);
    });
  });

  it('refuses a corrupt snapshot file', async () => {
    const { sim, disk } = simWorld(seed);
    await sim.run(async () => {
      const p = await DiskPersister.open({ fs: disk.fs, dir: DIR, clock: sim.clock });
      await p.save(append(1, 3));
      await p.save({ snapshot: { meta: { index: 2, term: 1 }, data: new Uint8Array(50).fill(9) } });
      await p.close();
      const snap = [...disk.filesSync(DIR).keys()].find((n) => n.endsWith('.snap'))!;
      disk.flipBit(`${DIR}/${snap}`, 60, 0);
      await expect(
        DiskPersister.open({ fs: disk.fs, dir: DIR, clock: sim.clock }),
      ).rejects.toMatchObject({
        code: 'WAL_CORRUPTION',
        file: `${DIR}/${snap}`,
        offset: 36,
      });
    });
  });

  it('the lock refuses a second opener of the same boot and is taken over after a crash', async () => {
    const { sim, disk } = simWorld(seed);
    await sim.run(async () => {
      const p = await DiskPersister.open({ fs: disk.fs, dir: DIR, clock: sim.clock });
      await p.save(append(1, 1));
      const second = await DiskPersister.open({ fs: disk.fs, dir: DIR, clock: sim.clock }).catch(
        (e: unknown) => e,
      );
      expect(DataDirLockedError.isInstance(second)).toBe(true);
      expect((second as Error).message).toMatch(/in use by sim-boot-0/);
      await p.close();
      await expect(p.save(append(2, 1))).rejects.toThrow(/closed/);
      const q = await DiskPersister.open({ fs: disk.fs, dir: DIR, clock: sim.clock });
      await q.save(append(2, 1));
      disk.crash('keep-unsynced'); // the lock file survives, its boot does not
      const r = await DiskPersister.open({ fs: disk.fs, dir: DIR, clock: sim.clock });
      expect(r.lastIndex()).toBe(2);
    });
  });
});
