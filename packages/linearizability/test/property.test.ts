import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AnyModel,
  type EtcdInput,
  ILLEGAL,
  type KvInput,
  type KvState,
  type Operation,
  type RegisterInput,
  checkEvents,
  checkOperations,
  etcdModel,
  kvModel,
  registerModel,
} from '../src/index.js';

// Histories made by running the sequential model: each operation takes effect at a point strictly
// inside [call, return]; an unknown-outcome operation (return null) takes effect at some point
// after its call, or never. Such histories are linearizable by construction.

interface Spec<I> {
  client: number;
  input: I;
  gap: number;
  duration: number;
  at: number;
  unknown: boolean;
  never: boolean;
}

function specs<I>(input: fc.Arbitrary<I>, unknownRate: number) {
  return fc.array(
    fc.record({
      client: fc.integer({ min: 0, max: 4 }),
      input,
      gap: fc.integer({ min: 0, max: 6 }),
      duration: fc.integer({ min: 2, max: 30 }),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      unknown: fc.double({ min: 0, max: 1, noNaN: true }).map((x) => x < unknownRate),
      never: fc.boolean(),
    }),
    { minLength: 1, maxLength: 24 },
  );
}

/** Builds the history; `output` computes an output from the state before the operation. */
function build<I>(model: AnyModel, list: Spec<I>[], output: (state: unknown, input: I) => unknown) {
  const clock = new Map<number, number>();
  const timed = list.map((s, index) => {
    const call = (clock.get(s.client) ?? 0) + s.gap;
    const ret = call + s.duration;
    clock.set(s.client, ret + 1);
    // Effect point strictly inside (call, ret); unknown outcomes may land past their "return".
    const span = s.unknown ? s.duration * 3 : s.duration - 1;
    return { s, index, call, ret, point: call + 1 + Math.floor(s.at * (span - 1)) };
  });
  const ops: Operation<I, unknown>[] = timed.map(({ s, call, ret }) => ({
    client: s.client,
    input: s.input,
    call,
    return: s.unknown ? null : ret,
  }));
  // One state per partition (per key for kv).
  const states = new Map<unknown, unknown>();
  for (const t of [...timed].sort((a, b) => a.point - b.point || a.index - b.index)) {
    if (t.s.unknown && t.s.never) continue;
    const key = model.partitionKey ? model.partitionKey(t.s.input) : 'all';
    const state = states.has(key) ? states.get(key) : model.init();
    const out = output(state, t.s.input);
    if (!t.s.unknown) ops[t.index]!.output = out;
    const next = model.step(state, t.s.input, out);
    expect(next).not.toBe(ILLEGAL);
    states.set(key, next);
  }
  return ops;
}

/** Replaces the output of one definite read with `value`, which no linearization allows. */
function corrupt<I>(
  ops: Operation<I, unknown>[],
  isRead: (i: I) => boolean,
  pick: number,
  value: unknown,
) {
  const reads = ops
    .map((_, i) => i)
    .filter((i) => isRead(ops[i]!.input) && ops[i]!.return !== null);
  if (reads.length === 0) return undefined;
  const copy = ops.map((o) => ({ ...o }));
  copy[reads[pick % reads.length]!]!.output = value;
  return copy;
}

const register = fc.oneof(
  fc.constant<RegisterInput>({ op: 'read' }),
  fc.integer({ min: 1, max: 3 }).map((value): RegisterInput => ({ op: 'write', value })),
);
const etcd = fc.oneof(
  fc.constant<EtcdInput>({ op: 'read' }),
  fc.integer({ min: 0, max: 3 }).map((value): EtcdInput => ({ op: 'write', value })),
  fc
    .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }))
    .map(([from, to]): EtcdInput => ({ op: 'cas', from, to })),
);
const kv = fc
  .record({
    key: fc.constantFrom('a', 'b', 'c'),
    kind: fc.constantFrom('get', 'put', 'append'),
    value: fc.constantFrom('x', 'y', 'z'),
  })
  .map(
    ({ key, kind, value }): KvInput =>
      kind === 'get' ? { op: 'get', key } : { op: kind as 'put' | 'append', key, value },
  );

const cases = [
  {
    name: 'register',
    model: registerModel as AnyModel,
    arb: specs(register, 0.15),
    out: (s: unknown, i: RegisterInput) => (i.op === 'read' ? { value: s } : {}),
    isRead: (i: RegisterInput) => i.op === 'read',
    impossible: { value: 99 },
  },
  {
    name: 'etcd',
    model: etcdModel as AnyModel,
    arb: specs(etcd, 0.2),
    out: (s: unknown, i: EtcdInput) =>
      i.op === 'read' ? { value: s } : i.op === 'cas' ? { ok: s === i.from } : {},
    isRead: (i: EtcdInput) => i.op === 'read',
    impossible: { value: 99 },
  },
  {
    name: 'kv',
    model: kvModel as AnyModel,
    arb: specs(kv, 0.1),
    out: (s: KvState, i: KvInput) => (i.op === 'get' ? { value: s.value } : {}),
    isRead: (i: KvInput) => i.op === 'get',
    impossible: { value: 'never#written' },
  },
] as const;

describe.each(cases)('$name: generated histories', ({ model, arb, out, isRead, impossible }) => {
  it('are linearizable, with a full linearization per partition', () => {
    fc.assert(
      fc.property(arb as fc.Arbitrary<Spec<never>[]>, (list) => {
        const ops = build(model, list, out as (s: unknown, i: never) => unknown);
        const result = checkOperations(model, ops);
        expect(result.verdict).toBe('ok');
        for (const part of result.partitions)
          expect(part.linearization.length).toBe(part.operations.length);
      }),
      { numRuns: 300 },
    );
  });

  it('are illegal once one read returns a value no linearization allows', () => {
    fc.assert(
      fc.property(arb as fc.Arbitrary<Spec<never>[]>, fc.nat(), (list, pick) => {
        const ops = build(model, list, out as (s: unknown, i: never) => unknown);
        const bad = corrupt(ops, isRead as (i: never) => boolean, pick, impossible);
        fc.pre(bad !== undefined);
        expect(checkOperations(model, bad!).verdict).toBe('illegal');
        expect(checkOperations(model, bad!, { explain: true }).verdict).toBe('illegal');
      }),
      { numRuns: 300 },
    );
  });
});

describe('event histories', () => {
  it('give the same verdict as the equivalent operation history', () => {
    fc.assert(
      fc.property(specs(register, 0.15), fc.boolean(), fc.nat(), (list, spoil, pick) => {
        let ops = build(registerModel as AnyModel, list, (s, i: RegisterInput) =>
          i.op === 'read' ? { value: s } : {},
        );
        if (spoil) ops = corrupt(ops, (i) => i.op === 'read', pick, { value: 99 }) ?? ops;
        const points = ops.flatMap((o, id) => [
          { t: o.call, k: 0, id },
          ...(o.return === null ? [] : [{ t: o.return, k: 1, id }]),
        ]);
        points.sort((a, b) => a.t - b.t || a.k - b.k || a.id - b.id);
        const events = points.map((p) =>
          p.k === 0
            ? {
                kind: 'call' as const,
                id: p.id,
                client: ops[p.id]!.client,
                value: ops[p.id]!.input,
              }
            : { kind: 'return' as const, id: p.id, value: ops[p.id]!.output as never },
        );
        expect(checkEvents(registerModel, events).verdict).toBe(
          checkOperations(registerModel, ops as never).verdict,
        );
      }),
      { numRuns: 200 },
    );
  });
});
