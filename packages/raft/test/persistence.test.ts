import fc from 'fast-check';
import { MemoryPersister } from '@raftkit/persister';
import { describe, expect, it } from 'vitest';
import { PersistQueue } from '../src/core/persistence.js';

type Op =
  | { kind: 'append'; terms: number[] }
  | { kind: 'truncate'; back: number }
  | { kind: 'snapshot'; forward: number }
  | { kind: 'hard'; term: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('append' as const),
    terms: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), back: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('snapshot' as const), forward: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('hard' as const), term: fc.integer({ min: 0, max: 9 }) }),
);

describe('PersistQueue', () => {
  it('merged batches leave storage exactly as the op-by-op model', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { maxLength: 30 }),
        fc.integer({ min: 1, max: 5 }),
        (ops, flushEvery) => {
          const model = { snap: 0, entries: [] as number[], hard: { term: 0, votedFor: -1 } };
          const direct = new MemoryPersister();
          const merged = new MemoryPersister();
          const q = new PersistQueue();
          let step = 0;
          for (const op of ops) {
            const last = model.snap + model.entries.length;
            if (op.kind === 'append') {
              const entries = op.terms.map((t, i) => ({ term: t, command: last + 1 + i }));
              model.entries.push(...op.terms);
              direct.save({ append: { firstIndex: last + 1, entries } });
              q.append(last + 1, entries);
            } else if (op.kind === 'truncate') {
              const from = last + 1 - Math.min(op.back, model.entries.length);
              if (from > last) continue;
              model.entries.length = from - model.snap - 1;
              direct.save({ truncateFrom: from });
              q.truncateFrom(from);
            } else if (op.kind === 'snapshot') {
              const to = Math.min(last, model.snap + op.forward);
              if (to <= model.snap) continue;
              const data = new Uint8Array([to]);
              model.entries = model.entries.slice(to - model.snap);
              model.snap = to;
              direct.save({ snapshot: { meta: { index: to, term: 1 }, data } });
              q.snapshot({ index: to, term: 1 }, data);
            } else {
              model.hard = { term: op.term, votedFor: 1 };
              direct.save({ hardState: model.hard });
              q.hardState(model.hard);
            }
            step += 1;
            if (step % flushEvery === 0) for (const b of q.take()) merged.save(b);
          }
          for (const b of q.take()) merged.save(b);
          const a = direct.load();
          const b = merged.load();
          expect(b.snapshotMeta.index).toBe(a.snapshotMeta.index);
          expect(b.entries).toEqual(a.entries);
          expect(b.hardState).toEqual(a.hardState);
          expect(a.entries.map((x) => x.term)).toEqual(model.entries);
        },
      ),
      { numRuns: 500 },
    );
  });
});
