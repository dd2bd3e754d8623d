import { describe, expect, it } from 'vitest';
import { seedFrom, simWorld } from './helpers.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('SimDisk', () => {
  const seed = seedFrom(7);
  console.log(`sim-disk seed=${seed}`);

  it('loses unsynced writes and keeps synced ones; each operation takes virtual time', async () => {
    const { sim, disk } = simWorld(seed);
    await sim.run(async () => {
      await disk.fs.mkdir('/d');
      await disk.fs.syncDir('/');
      const t0 = sim.clock.now();
      const fh = await disk.fs.open('/d/f', 'create');
      await disk.fs.syncDir('/d');
      await fh.write(bytes('hello '), 0);
      await fh.datasync();
      await fh.write(bytes('world'), 6);
      expect(sim.clock.now()).toBeGreaterThan(t0);
      expect(text(disk.readFileSync('/d/f'))).toBe('hello world');
      disk.crash('lose-unsynced');
      expect(text(disk.readFileSync('/d/f'))).toBe('hello ');
    });
  });

  it('tears the first lost write at the chosen byte', () => {
    const { sim, disk } = simWorld(seed);
    return sim.run(async () => {
      await disk.fs.mkdir('/d');
      const fh = await disk.fs.open('/d/f', 'create');
      await disk.fs.syncDir('/d');
      await disk.fs.syncDir('/');
      await fh.write(bytes('abcdef'), 0);
      await fh.write(bytes('ghij'), 6);
      expect(disk.pendingTargets()).toEqual([
        {
          kind: 'file',
          path: '/d/f',
          ops: [
            { kind: 'write', bytes: 6 },
            { kind: 'write', bytes: 4 },
          ],
        },
      ]);
      disk.crash(() => ({ keep: 1, torn: 2 }));
      expect(text(disk.readFileSync('/d/f'))).toBe('abcdefgh');
    });
  });

  it('a created or renamed name survives a crash only after its directory was synced', () => {
    const { sim, disk } = simWorld(seed);
    return sim.run(async () => {
      await disk.fs.mkdir('/d');
      await disk.fs.syncDir('/');
      const a = await disk.fs.open('/d/a', 'create');
      await a.write(bytes('A'), 0);
      await a.datasync();
      disk.crash('keep-unsynced'); // the directory entry was never synced…
      expect(disk.filesSync('/d').size).toBe(1); // …but keep-unsynced keeps every pending change
      const b = await disk.fs.open('/d/b', 'create');
      await b.write(bytes('B'), 0);
      await b.datasync();
      disk.crash('lose-unsynced');
      expect([...disk.filesSync('/d').keys()]).toEqual(['a']);
      const c = await disk.fs.open('/d/c.tmp', 'create');
      await c.write(bytes('C'), 0);
      await c.datasync();
      await disk.fs.syncDir('/d');
      await disk.fs.rename('/d/c.tmp', '/d/c');
      disk.crash('lose-unsynced'); // etcd#6368: rename without a directory fsync
      expect([...disk.filesSync('/d').keys()]).toEqual(['a', 'c.tmp']);
      await disk.fs.rename('/d/c.tmp', '/d/c');
      await disk.fs.syncDir('/d');
      disk.crash('lose-unsynced');
      expect([...disk.filesSync('/d').keys()]).toEqual(['a', 'c']);
    });
  });

  it('an injected fsync EIO drops the unsynced data for good; a retried sync "succeeds" without it', () => {
    const { sim, disk } = simWorld(seed);
    return sim.run(async () => {
      await disk.fs.mkdir('/d');
      await disk.fs.syncDir('/');
      const fh = await disk.fs.open('/d/f', 'create');
      await disk.fs.syncDir('/d');
      await fh.write(bytes('x'), 0);
      disk.injectFault({ op: 'datasync', code: 'EIO' });
      await expect(fh.datasync()).rejects.toMatchObject({ code: 'EIO', syscall: 'fdatasync' });
      await fh.datasync(); // what a naive retry sees
      expect(text(disk.readFileSync('/d/f'))).toBe('x'); // the page cache still has it
      disk.crash('keep-unsynced');
      expect(text(disk.readFileSync('/d/f'))).toBe(''); // the disk never got it
    });
  });

  it('write faults, ENOSPC and bit flips', () => {
    const { sim, disk } = simWorld(seed, { capacityBytes: 10 });
    return sim.run(async () => {
      const fh = await disk.fs.open('/f', 'create');
      disk.injectFault({ op: 'write', code: 'EIO', path: '/f' });
      await expect(fh.write(bytes('a'), 0)).rejects.toMatchObject({ code: 'EIO' });
      await fh.write(bytes('0123456789'), 0);
      await expect(fh.write(bytes('!'), 10)).rejects.toMatchObject({ code: 'ENOSPC' });
      await fh.datasync();
      disk.flipBit('/f', 0, 0);
      expect(text(disk.readFileSync('/f'))).toBe('1123456789');
      expect(() => disk.flipBit('/f', 10)).toThrow(/outside the 10 synced bytes/);
    });
  });

  it('operations of a crashed boot never settle', () => {
    const { sim, disk } = simWorld(seed);
    return sim.run(async () => {
      const old = disk.fs;
      const fh = await old.open('/f', 'create');
      let settled = false;
      const pending = fh.write(bytes('x'), 0).finally(() => {
        settled = true;
      });
      disk.crash('lose-unsynced');
      old.list('/').finally(() => {
        settled = true;
      });
      await sim.clock.sleep(1000);
      expect(settled).toBe(false);
      void pending;
      expect(disk.fs).not.toBe(old);
      expect(await disk.fs.list('/')).toEqual([]);
    });
  });
});
