import { spawnSync } from 'node:child_process';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PersistBatch } from '@raftkit/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DataDirLockedError,
  DiskPersister,
  type FileHandle,
  type FileSystem,
  NodeFileSystem,
  WalCorruptionError,
} from '../src/index.js';
import { scanSegment } from '../src/wal/format.js';
import { entries, modelState, stateKey } from './helpers.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'raftkit-wal-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const batches: PersistBatch[] = Array.from({ length: 12 }, (_, i) => ({
  append: { firstIndex: i + 1, entries: entries(i + 1, 1, 1, 40) },
  hardState: { term: 1, votedFor: i % 3 },
}));

/** Where the log in a segment ends (preallocated zeros may follow). */
const logicalSize = (segment: string) => scanSegment(readFileSync(segment)).validEnd;

async function fill(): Promise<string> {
  const p = await DiskPersister.open({ dir });
  for (const b of batches) await p.save(b);
  await p.close();
  return join(dir, readdirSync(dir).find((n) => n.endsWith('.wal'))!);
}

describe('DiskPersister on the real disk', () => {
  it.each([true, false])(
    'durable writes inline (%s) or through the thread pool recover the same log',
    async (inline) => {
      const fs = new NodeFileSystem({ inlineDurableWrites: inline });
      const p = await DiskPersister.open({ dir, fs });
      for (const b of batches) await p.save(b);
      for (let i = 13; i <= 40; i++)
        await p.save({ append: { firstIndex: i, entries: entries(i, 1, 1, 40) } });
      await p.close();
      if (!inline) expect(fs.inlineWrites?.inline ?? false).toBe(false);
      const again = await DiskPersister.open({ dir });
      expect(again.lastIndex()).toBe(40);
      await again.close();
    },
  );

  it('writes group commits in one O_DSYNC writev once the segment is synced, falling back to writev + datasync before', async () => {
    const calls: string[] = [];
    const real = new NodeFileSystem();
    const spy = (h: FileHandle): FileHandle => ({
      write: (d, at) => h.write(d, at),
      writev: (c, at) => (calls.push('writev'), h.writev(c, at)),
      writevDurable: (c, at) => (calls.push('writevDurable'), h.writevDurable!(c, at)),
      read: (at, n) => h.read(at, n),
      size: () => h.size(),
      truncate: (n) => h.truncate(n),
      datasync: () => (calls.push('datasync'), h.datasync()),
      sync: () => h.sync(),
      close: () => h.close(),
    });
    const fs: FileSystem = {
      lockOwner: real.lockOwner,
      open: async (path, mode) => spy(await real.open(path, mode)),
      readFile: (path) => real.readFile(path),
      list: (d) => real.list(d),
      mkdir: (path) => real.mkdir(path),
      rename: (a, b) => real.rename(a, b),
      remove: (path) => real.remove(path),
      syncDir: (d) => real.syncDir(d),
    };
    await fill();
    // Reopened on a segment recovery found: its first append syncs the whole file.
    const p = await DiskPersister.open({ dir, fs });
    await p.save({ append: { firstIndex: 13, entries: entries(13, 1, 1, 40) } });
    await p.save({ append: { firstIndex: 14, entries: entries(14, 1, 1, 40) } });
    await p.close();
    expect(calls.slice(0, 3)).toEqual(['writev', 'datasync', 'writevDurable']);
    const again = await DiskPersister.open({ dir });
    expect(again.lastIndex()).toBe(14);
    expect(again.load().entries.at(-1)).toEqual(entries(14, 1, 1, 40)[0]);
    await again.close();
  });

  it('reopens after a clean close with the same state', async () => {
    const p = await DiskPersister.open({ dir });
    await Promise.all(batches.map((b) => p.save(b)));
    await p.save({ snapshot: { meta: { index: 4, term: 1 }, data: new Uint8Array([4, 4]) } });
    await p.close();
    expect(readdirSync(dir).filter((n) => n === 'LOCK')).toEqual([]);
    const q = await DiskPersister.open({ dir });
    const expected = modelState([
      ...batches,
      { snapshot: { meta: { index: 4, term: 1 }, data: new Uint8Array([4, 4]) } },
    ]);
    expect(stateKey(q.load())).toBe(stateKey(expected));
    await q.close();
  });

  it('cuts a truncated tail, keeps the cut bytes in a .broken file, and keeps working', async () => {
    const segment = await fill();
    const size = logicalSize(segment);
    truncateSync(segment, size - 7); // the last record set loses its commit record
    const p = await DiskPersister.open({ dir });
    expect(stateKey(p.load())).toBe(stateKey(modelState(batches.slice(0, 11))));
    const broken = readdirSync(dir).filter((n) => n.endsWith('.broken'));
    expect(broken).toHaveLength(1);
    expect(statSync(join(dir, broken[0]!)).size).toBeGreaterThan(0);
    await p.save(batches[11]!);
    await p.close();
    const q = await DiskPersister.open({ dir });
    expect(stateKey(q.load())).toBe(stateKey(modelState(batches)));
    await q.close();
  });

  it('refuses a corrupted middle record, naming the file and the offset', async () => {
    const segment = await fill();
    const bytes = readFileSync(segment);
    const at = Math.floor(logicalSize(segment) / 2);
    bytes[at]! ^= 0x10;
    writeFileSync(segment, bytes);
    const error = await DiskPersister.open({ dir }).catch((e: unknown) => e);
    expect(WalCorruptionError.isInstance(error)).toBe(true);
    const { file, offset, message } = error as WalCorruptionError;
    expect(file).toBe(segment);
    expect(offset).toBeLessThanOrEqual(at);
    expect(offset).toBeGreaterThan(at - 200);
    expect(message).toContain(`${segment} offset ${offset}`);
    // Nothing was repaired and the lock was released.
    expect(readFileSync(segment).equals(bytes)).toBe(true);
    expect(readdirSync(dir).filter((n) => n === 'LOCK' || n.endsWith('.broken'))).toEqual([]);
  });

  it('preallocates: the segment file is longer than the log, and reopening recovers everything without a repair', async () => {
    const p = await DiskPersister.open({ dir, preallocateBytes: 64 * 1024 });
    for (const b of batches.slice(0, 11)) await p.save(b);
    await p.close();
    const segment = join(dir, readdirSync(dir).find((n) => n.endsWith('.wal'))!);
    const end = logicalSize(segment);
    const length = statSync(segment).size;
    expect(length - end).toBeGreaterThanOrEqual(32 * 1024);
    expect(
      readFileSync(segment)
        .subarray(end)
        .every((b) => b === 0),
    ).toBe(true);
    const q = await DiskPersister.open({ dir, preallocateBytes: 64 * 1024 });
    expect(stateKey(q.load())).toBe(stateKey(modelState(batches.slice(0, 11))));
    await q.save(batches[11]!);
    await q.close();
    // Written at the log's end, over the zeros: the file did not grow.
    expect(statSync(segment).size).toBe(length);
    expect(logicalSize(segment)).toBeGreaterThan(end);
    const r = await DiskPersister.open({ dir });
    expect(stateKey(r.load())).toBe(stateKey(modelState(batches)));
    await r.close();
    expect(readdirSync(dir).filter((n) => n.endsWith('.broken'))).toEqual([]);
  });

  it('a second opener is refused by the lock; a lock left by a dead process is taken over', async () => {
    const p = await DiskPersister.open({ dir });
    await expect(DiskPersister.open({ dir })).rejects.toSatisfy(
      (e: unknown) =>
        DataDirLockedError.isInstance(e) && (e as Error).message.includes(String(process.pid)),
    );
    await p.close();
    // A lock file naming a process that has exited is stale.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    writeFileSync(join(dir, 'LOCK'), `${dead.stdout}\n`);
    const q = await DiskPersister.open({ dir });
    expect(readFileSync(join(dir, 'LOCK'), 'utf8').trim()).toBe(String(process.pid));
    await q.close();
  });
});
