import { expect, it } from 'vitest';
import { DiskPersister } from '../src/index.js';
import { openSimDiskPersister } from '../src/testing.js';
import { entries, simWorld } from './helpers.js';

it('smoke', async () => {
  const { sim, disk } = simWorld(1);
  await sim.run(async () => {
    const p = await DiskPersister.open({
      fs: disk.fs,
      dir: '/data',
      clock: sim.clock,
      segmentBytes: 256,
    });
    const saves = [];
    for (let i = 0; i < 20; i++)
      saves.push(
        p.save({
          append: { firstIndex: i + 1, entries: entries(i + 1, 1) },
          hardState: { term: 1, votedFor: 0 },
        }),
      );
    await Promise.all(saves);
    await p.save({ snapshot: { meta: { index: 15, term: 1 }, data: new Uint8Array([1, 2, 3]) } });
    console.log(p.segmentNames(), disk.filesSync('/data').keys());
    disk.crash('lose-unsynced');
    const q = openSimDiskPersister(disk, { dir: '/data', segmentBytes: 256 });
    const s = q.load();
    expect(s.entries.length).toBe(5);
    expect(s.snapshotMeta).toEqual({ index: 15, term: 1 });
    await q.save({ append: { firstIndex: 21, entries: entries(21, 1) } });
    const r = await (async () => {
      disk.crash('random');
      return openSimDiskPersister(disk, { dir: '/data' });
    })();
    expect(r.lastIndex()).toBe(21);
  });
});
