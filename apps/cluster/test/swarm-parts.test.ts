import { createSeededRng, Simulation } from '@raftkit/labrpc';
import { describe, expect, it } from 'vitest';
import { InvariantViolation, RaftInvariants } from '../src/swarm/invariants.js';
import { describeParams, drawParams } from '../src/swarm/params.js';
import { SwarmDiskStorage } from '../src/swarm/disk-storage.js';
import { type StorageObserver, SwarmStorage, TermMirror } from '../src/swarm/storage.js';

const entries = (...terms: number[]) => terms.map((term) => ({ term, command: `t${term}` }));

describe('swarm parameters', () => {
  it('are a function of the seed', () => {
    const a = drawParams(createSeededRng(7).fork('swarm-params'));
    const b = drawParams(createSeededRng(7).fork('swarm-params'));
    const c = drawParams(createSeededRng(8).fork('swarm-params'));
    expect(b).toEqual(a);
    expect(describeParams(c)).not.toBe(describeParams(a));
  });

  it('cover every fault over a few hundred seeds', () => {
    const seen = new Set<string>();
    for (let s = 1; s <= 300; s++) {
      const p = drawParams(createSeededRng(s).fork('swarm-params'));
      for (const k of p.partitions) seen.add(k);
      for (const k of p.crashes) seen.add(k);
      if (p.duplicateRate > 0) seen.add('dup');
      if (p.spikeRate > 0) seen.add('spikes');
      if (p.clockRates.length > 0) seen.add('drift');
      if (p.asyncStorage) seen.add('async');
      if (p.leaderChurn) seen.add('churn');
      if (p.snapshotEvery > 0) seen.add('snapshots');
    }
    expect([...seen].sort()).toEqual(
      [
        'all',
        'async',
        'bridge',
        'churn',
        'drift',
        'dup',
        'election-blip',
        'halves',
        'isolate-leader',
        'leader',
        'mid-save',
        'minority',
        'one-way',
        'snapshots',
        'spikes',
      ].sort(),
    );
  });
});

describe('TermMirror', () => {
  it('follows snapshots, truncations and appends like the persister', () => {
    const m = new TermMirror();
    m.apply({ append: { firstIndex: 1, entries: entries(1, 1, 2, 2) } });
    expect([m.lastIndex, m.term(3)]).toEqual([4, 2]);
    m.apply({ truncateFrom: 3, append: { firstIndex: 3, entries: entries(3) } });
    expect([m.lastIndex, m.term(3)]).toEqual([3, 3]);
    m.apply({ snapshot: { meta: { index: 2, term: 1 }, data: new Uint8Array(1) } });
    expect([m.snapshotIndex, m.lastIndex, m.term(2), m.term(3)]).toEqual([2, 3, undefined, 3]);
    m.apply({ snapshot: { meta: { index: 9, term: 4 }, data: new Uint8Array(1) } });
    expect([m.snapshotIndex, m.lastIndex]).toEqual([9, 9]);
  });
});

describe('SwarmStorage', () => {
  const observer = () => {
    const calls: string[] = [];
    const o: StorageObserver = {
      afterKill: (peer, call) => calls.push(`${peer}:${call}`),
      beforeSave: () => {},
    };
    return { calls, o };
  };

  it('reports every call made after the peer was killed', () => {
    const { calls, o } = observer();
    const s = SwarmStorage.fresh(2, o);
    s.save({ append: { firstIndex: 1, entries: entries(1) } });
    s.kill();
    s.save({ append: { firstIndex: 2, entries: entries(1) } });
    s.readSnapshot();
    expect(calls).toEqual(['2:save', '2:readSnapshot']);
  });

  it('asynchronous saves complete in order and are lost from the durable copy when in flight', async () => {
    const sim = new Simulation({ seed: 1, printTrace: false });
    const { o } = observer();
    const async = { clock: sim.clock, rng: sim.rng.fork('disk'), slow: true };
    const s = SwarmStorage.fresh(0, o, async);
    const done: number[] = [];
    await sim.run(async () => {
      const a = s.save({ append: { firstIndex: 1, entries: entries(1) } });
      const b = s.save({ append: { firstIndex: 2, entries: entries(1) } });
      void a?.then(() => done.push(1));
      void b?.then(() => done.push(2));
      expect(s.pending).toBe(2);
      await a;
      // The second save is still in flight: a crash now keeps only the first.
      const survivor = s.durableCopy();
      expect(survivor.mirror.lastIndex).toBe(1);
      await b;
    });
    expect(done).toEqual([1, 2]);
    expect(s.mirror.lastIndex).toBe(2);
  });
});

describe('SwarmDiskStorage (the WAL on a simulated disk)', () => {
  const observer = (): StorageObserver & { calls: string[] } => {
    const calls: string[] = [];
    return {
      calls,
      afterKill: (peer, call) => calls.push(`${peer}:${call}`),
      beforeSave: () => {},
    };
  };

  it('a power loss keeps every resolved save, and the mirror is what recovery yields', async () => {
    const kept = new Set<number>();
    for (let seed = 1; seed <= 20; seed++) {
      const sim = new Simulation({ seed, printTrace: false });
      const o = observer();
      const s = SwarmDiskStorage.fresh(sim, 1, o);
      await sim.run(async () => {
        await s.save({ hardState: { term: 1, votedFor: 1 } });
        await s.save({ append: { firstIndex: 1, entries: entries(1, 1, 1) } });
        void s.save({ append: { firstIndex: 4, entries: entries(1, 1) } });
        expect(s.pending).toBe(1);
        await sim.clock.sleep(0.01 * (seed % 5)); // the crash lands at different points of the write
        const survivor = s.durableCopy();
        s.kill();
        const state = survivor.load();
        expect(state.hardState).toEqual({ term: 1, votedFor: 1 });
        expect([3, 5]).toContain(state.entries.length);
        expect(survivor.mirror.lastIndex).toBe(state.entries.length);
        kept.add(state.entries.length);
        s.readSnapshot();
        expect(o.calls).toEqual(['1:readSnapshot']);
      });
    }
    // Over 20 seeds the in-flight save was both lost and kept.
    expect([...kept].sort()).toEqual([3, 5]);
  });
});

describe('RaftInvariants', () => {
  it('fails a save that truncates an entry known to be committed', () => {
    const sim = new Simulation({ seed: 1, printTrace: false });
    const inv = new RaftInvariants(sim);
    inv.committedTerm.push(1, 1, 2);
    const durable = new TermMirror();
    durable.apply({ append: { firstIndex: 1, entries: entries(1, 1, 2) } });
    expect(() => inv.beforeSave(0, { truncateFrom: 4 }, durable)).not.toThrow();
    expect(() => inv.beforeSave(0, { truncateFrom: 3 }, durable)).toThrow(InvariantViolation);
    expect(() => inv.beforeSave(0, { truncateFrom: 3 }, durable)).toThrow(
      /committed-entry-truncated: peer 0 truncates its log from 3, removing the committed entry at 3/,
    );
    // A different entry at a committed index (a stale one being replaced) may go.
    const stale = new TermMirror();
    stale.apply({ append: { firstIndex: 1, entries: entries(1, 1, 1) } });
    expect(() => inv.beforeSave(1, { truncateFrom: 3 }, stale)).not.toThrow();
  });
});
