import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskPersister, NodeFileSystem, StorageFailedError } from '@raftkit/persister';
import { afterAll, describe, expect, test } from 'vitest';
import { FatalOnFailureStorage } from '../src/serve/fatal-storage.js';
import { timedFileSystem } from '../src/serve/timed-file-system.js';

const dir = mkdtempSync(join(tmpdir(), 'raftkit-fatal-storage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Settles within `ms`? (A save the node must never acknowledge stays pending.) */
const settlesWithin = (p: Promise<unknown>, ms: number) =>
  Promise.race([
    p.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((r) => setTimeout(() => r(false), ms)),
  ]);

describe('a failed save stops the node instead of reaching Raft', () => {
  test('real files, an fsync that fails with EIO: one fatal report, and no save settles from then on', async () => {
    // The real disk persister on real files; only the third durable write fails, a datasync or
    // an O_DSYNC writev (`writevDurable`, which group commits use once the segment is synced):
    // the kernel cannot be made to fail one on demand here.
    let syncs = 0;
    const eio = () => Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
    const real = new NodeFileSystem();
    const failing = timedFileSystem(real, () => {});
    const open = failing.open.bind(failing);
    failing.open = async (path, mode) => {
      const h = await open(path, mode);
      const datasync = h.datasync.bind(h);
      h.datasync = async () => {
        if (++syncs === 3) throw eio();
        return datasync();
      };
      const durable = h.writevDurable?.bind(h);
      if (durable !== undefined) {
        h.writevDurable = async (chunks, position) => {
          if (++syncs === 3) throw eio();
          return durable(chunks, position);
        };
      }
      return h;
    };
    const disk = await DiskPersister.open({ dir: join(dir, 'n1'), fs: failing });
    const fatal: Error[] = [];
    const storage = new FatalOnFailureStorage(disk, (e) => fatal.push(e));
    const saves: Promise<void>[] = [];
    for (let i = 1; i <= 6; i++) {
      const r = storage.save({
        append: { firstIndex: i, entries: [{ term: 1, command: `x${i}` }] },
      });
      saves.push(r as Promise<void>);
      if (fatal.length === 0) await settlesWithin(r as Promise<void>, 1000);
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(fatal).toHaveLength(1);
    expect(StorageFailedError.isInstance(fatal[0])).toBe(true);
    const settled = await Promise.all(saves.map((s) => settlesWithin(s, 300)));
    // Saves before the failing sync were acknowledged; the failing one and every later one never are.
    const firstUnsettled = settled.indexOf(false);
    expect(firstUnsettled).toBeGreaterThan(0);
    expect(settled.slice(firstUnsettled).every((s) => s === false)).toBe(true);
    storage.closing();
    await disk.close();
  });

  test('a rejection after closing() is the close, not a failure', async () => {
    const disk = await DiskPersister.open({ dir: join(dir, 'n2') });
    const fatal: Error[] = [];
    const storage = new FatalOnFailureStorage(disk, (e) => fatal.push(e));
    await storage.save({ hardState: { term: 1, votedFor: 0 } });
    storage.closing();
    await disk.close();
    const late = storage.save({ hardState: { term: 2, votedFor: 0 } });
    expect(await settlesWithin(late as Promise<void>, 100)).toBe(false);
    expect(fatal).toEqual([]);
  });
});
