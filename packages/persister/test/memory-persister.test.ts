import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { msgpackCodec } from '@raftkit/codec';
import type { LogEntry } from '@raftkit/core';
import { InvalidPersistBatchError, MemoryPersister } from '../src/index.js';

const entries = (from: number, n: number, term = 1): LogEntry[] =>
  Array.from({ length: n }, (_, i) => ({ term, command: `cmd-${from + i}` }));

describe('MemoryPersister', () => {
  it('starts empty', () => {
    const p = new MemoryPersister();
    expect(p.load()).toEqual({
      hardState: { term: 0, votedFor: -1 },
      snapshotMeta: { index: 0, term: 0 },
      snapshot: new Uint8Array(0),
      entries: [],
    });
    expect(p.snapshotSize()).toBe(0);
    expect(p.raftStateSize()).toBe(p.readRaftState().length);
  });

  it('appends, truncates, snapshots and saves hard state in one batch order', () => {
    const p = new MemoryPersister();
    p.save({
      append: { firstIndex: 1, entries: entries(1, 5) },
      hardState: { term: 1, votedFor: 0 },
    });
    p.save({ truncateFrom: 4, append: { firstIndex: 4, entries: entries(4, 2, 2) } });
    let s = p.load();
    expect(s.entries.map((e) => e.term)).toEqual([1, 1, 1, 2, 2]);
    expect(s.hardState).toEqual({ term: 1, votedFor: 0 });
    p.save({ snapshot: { meta: { index: 3, term: 1 }, data: new Uint8Array([7, 7]) } });
    s = p.load();
    expect(s.snapshotMeta).toEqual({ index: 3, term: 1 });
    expect(s.entries).toEqual([
      { term: 2, command: 'cmd-4' },
      { term: 2, command: 'cmd-5' },
    ]);
    expect([...p.readSnapshot()]).toEqual([7, 7]);
    expect(p.snapshotSize()).toBe(2);
    // A snapshot past the end of the log (InstallSnapshot) leaves an empty log.
    p.save({ snapshot: { meta: { index: 9, term: 3 }, data: new Uint8Array([1]) } });
    expect(p.load().entries).toEqual([]);
    p.save({ append: { firstIndex: 10, entries: entries(10, 1, 3) } });
    expect(p.lastIndex()).toBe(10);
  });

  it('raftStateSize is exactly the length of the encoded Raft state, after every change', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({
              kind: fc.constant('append' as const),
              n: fc.integer({ min: 0, max: 5 }),
              text: fc.string(),
            }),
            fc.record({
              kind: fc.constant('truncate' as const),
              back: fc.integer({ min: 0, max: 4 }),
            }),
            fc.record({
              kind: fc.constant('snapshot' as const),
              ahead: fc.integer({ min: 0, max: 6 }),
            }),
            fc.record({
              kind: fc.constant('vote' as const),
              term: fc.integer({ min: 0, max: 1e6 }),
            }),
          ),
          { maxLength: 30 },
        ),
        (ops) => {
          const p = new MemoryPersister();
          for (const op of ops) {
            const { snapshotMeta, entries: log } = p.load();
            const last = snapshotMeta.index + log.length;
            if (op.kind === 'append') {
              p.save({
                append: {
                  firstIndex: last + 1,
                  entries: Array.from({ length: op.n }, () => ({ term: 1, command: op.text })),
                },
              });
            } else if (op.kind === 'truncate' && op.back <= log.length && op.back > 0) {
              p.save({ truncateFrom: last - op.back + 1 });
            } else if (op.kind === 'snapshot') {
              const index = snapshotMeta.index + op.ahead;
              p.save({ snapshot: { meta: { index, term: 1 }, data: new Uint8Array(op.ahead) } });
            } else if (op.kind === 'vote') {
              p.save({ hardState: { term: op.term, votedFor: op.term % 5 } });
            }
            expect(p.raftStateSize()).toBe(p.readRaftState().length);
          }
        },
      ),
    );
  });

  it('the encoded state decodes back to header then entries', () => {
    const p = new MemoryPersister();
    p.save({
      append: { firstIndex: 1, entries: entries(1, 2) },
      hardState: { term: 4, votedFor: 2 },
    });
    const state = p.readRaftState();
    const header = msgpackCodec.encode([4, 2, 0, 0]);
    expect([...state.subarray(0, header.length)]).toEqual([...header]);
  });

  it('copy() shares nothing the old instance can change', () => {
    const p = new MemoryPersister();
    p.save({
      append: { firstIndex: 1, entries: entries(1, 3) },
      hardState: { term: 2, votedFor: 1 },
    });
    p.save({ snapshot: { meta: { index: 1, term: 1 }, data: new Uint8Array([1, 2, 3]) } });
    const twin = p.copy();
    // The zombie keeps writing to the old persister.
    p.save({ truncateFrom: 2, hardState: { term: 9, votedFor: 0 } });
    p.save({ snapshot: { meta: { index: 1, term: 1 }, data: new Uint8Array([9]) } });
    const s = twin.load();
    expect(s.hardState).toEqual({ term: 2, votedFor: 1 });
    expect(s.entries).toHaveLength(2);
    expect([...twin.readSnapshot()]).toEqual([1, 2, 3]);
    // Loaded objects are fresh copies.
    s.entries[0]!.command = 'mutated';
    expect(twin.load().entries[0]!.command).toBe('cmd-2');
    const snap = twin.readSnapshot();
    snap[0] = 42;
    expect(twin.readSnapshot()[0]).toBe(1);
  });

  it('rejects invalid batches with a typed error and leaves the state unchanged', () => {
    const p = new MemoryPersister();
    p.save({
      append: { firstIndex: 1, entries: entries(1, 3) },
      hardState: { term: 1, votedFor: 0 },
    });
    const before = p.readRaftState();
    const bad = [
      { append: { firstIndex: 5, entries: entries(5, 1) } }, // gap
      { append: { firstIndex: 2, entries: entries(2, 1) } }, // overlap without truncate
      { append: { firstIndex: -1, entries: [] } },
      { truncateFrom: 0 },
      { truncateFrom: 9 },
      { hardState: { term: -1, votedFor: 0 } },
      { hardState: { term: 1, votedFor: -2 } },
      { snapshot: { meta: { index: -3, term: 0 }, data: new Uint8Array() } },
      { append: { firstIndex: 4, entries: [{ term: 0, command: 'x' }] } },
      // valid hard state but invalid append: nothing at all may change
      { hardState: { term: 5, votedFor: 1 }, append: { firstIndex: 7, entries: entries(7, 1) } },
    ];
    for (const batch of bad) {
      expect(() => p.save(batch as never)).toThrow(InvalidPersistBatchError);
      expect([...p.readRaftState()]).toEqual([...before]);
    }
    p.save({ snapshot: { meta: { index: 2, term: 1 }, data: new Uint8Array() } });
    expect(() => p.save({ truncateFrom: 2 })).toThrow(/inside the snapshot/);
    expect(() =>
      p.save({ snapshot: { meta: { index: 1, term: 1 }, data: new Uint8Array() } }),
    ).toThrow(/older/);
  });
});
