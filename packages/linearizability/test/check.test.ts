import { describe, expect, it } from 'vitest';
import {
  type Event,
  type EtcdInput,
  type EtcdOutput,
  ILLEGAL,
  InvalidArgumentError,
  InvalidHistoryError,
  type KvInput,
  type KvOutput,
  type KvState,
  type Model,
  type RegisterInput,
  type RegisterOutput,
  checkEvents,
  checkOperations,
  etcdModel,
  kvModel,
  registerModel,
} from '../src/index.js';
import { op } from './helpers.js';

type R = ReturnType<typeof op<RegisterInput, RegisterOutput>>;
const write = (c: number, v: number, call: number, ret: number | null): R =>
  op(c, { op: 'write', value: v }, call, {}, ret);
const read = (c: number, v: number, call: number, ret: number | null): R =>
  op(c, { op: 'read' }, call, { value: v }, ret);

describe('register histories (hand-checked, porcupine README examples)', () => {
  it('ok: a read concurrent with a write may see the old value, another the new one', () => {
    const h = [write(0, 100, 0, 100), read(1, 100, 25, 75), read(2, 0, 30, 60)];
    const result = checkOperations(registerModel, h);
    expect(result.verdict).toBe('ok');
    expect(result.partitions[0]!.linearization).toEqual([2, 0, 1]);
  });

  it('illegal: once a read has seen the new value, a later read cannot see the old one', () => {
    const h = [write(0, 200, 0, 100), read(1, 200, 10, 30), read(2, 0, 40, 90)];
    const result = checkOperations(registerModel, h);
    expect(result.verdict).toBe('illegal');
    const part = result.partitions[0]!;
    expect(part.linearization).toEqual([0, 1]);
    expect(part.failedAt).toBe(2);
    expect(part.failedCandidates).toEqual([2]);
    expect(part.states).toEqual([200]);
  });

  it('sequential history with a stale read is illegal', () => {
    const h = [write(0, 1, 0, 10), read(1, 1, 11, 20), read(0, 0, 21, 30)];
    expect(checkOperations(registerModel, h).verdict).toBe('illegal');
  });

  it('operations that touch (return time = call time) are concurrent: calls sort first', () => {
    const h = [write(0, 1, 0, 10), read(1, 0, 10, 20)];
    expect(checkOperations(registerModel, h).verdict).toBe('ok');
  });

  it('an unknown outcome may take effect late', () => {
    const h = [write(0, 1, 0, null), read(1, 0, 10, 20), read(1, 1, 30, 40)];
    expect(checkOperations(registerModel, h).verdict).toBe('ok');
  });

  it('an unknown outcome may never take effect', () => {
    const h = [write(0, 1, 0, null), read(1, 0, 10, 20), read(1, 0, 30, 40)];
    expect(checkOperations(registerModel, h).verdict).toBe('ok');
  });

  it('an unknown outcome takes effect at most once, and not before its call', () => {
    expect(checkOperations(registerModel, [read(1, 1, 0, 5), write(0, 1, 10, null)]).verdict).toBe(
      'illegal',
    );
    const h = [write(0, 1, 0, null), read(1, 1, 10, 20), read(1, 0, 30, 40)];
    expect(checkOperations(registerModel, h).verdict).toBe('illegal');
  });

  it('the empty history is ok', () => {
    const result = checkOperations(registerModel, []);
    expect(result.verdict).toBe('ok');
    expect(result.operations).toBe(0);
  });
});

describe('etcd model histories', () => {
  type E = ReturnType<typeof op<EtcdInput, EtcdOutput>>;
  const cas = (
    c: number,
    from: number,
    to: number,
    ok: boolean | undefined,
    call: number,
    ret: number | null,
  ): E => op(c, { op: 'cas', from, to }, call, ok === undefined ? undefined : { ok }, ret);
  const rd = (c: number, v: number | null, call: number, ret: number | null): E =>
    op(c, { op: 'read' }, call, { value: v }, ret);
  const wr = (c: number, v: number, call: number, ret: number | null): E =>
    op(c, { op: 'write', value: v }, call, {}, ret);

  it('reads absent before any write, and a failed cas leaves the state', () => {
    const h = [
      rd(0, null, 0, 1),
      cas(0, 1, 2, false, 2, 3),
      wr(1, 1, 4, 5),
      cas(0, 1, 2, true, 6, 7),
      rd(1, 2, 8, 9),
    ];
    expect(checkOperations(etcdModel, h).verdict).toBe('ok');
  });

  it('a cas that succeeded on a value never written is illegal', () => {
    expect(checkOperations(etcdModel, [cas(0, 3, 4, true, 0, 1)]).verdict).toBe('illegal');
  });

  it('an unknown cas applies only if the state matches', () => {
    const ok = [wr(0, 1, 0, 1), cas(1, 1, 5, undefined, 2, null), rd(0, 5, 3, 4)];
    expect(checkOperations(etcdModel, ok).verdict).toBe('ok');
    const bad = [wr(0, 2, 0, 1), cas(1, 1, 5, undefined, 2, null), rd(0, 5, 3, 4)];
    expect(checkOperations(etcdModel, bad).verdict).toBe('illegal');
  });

  it('a read with an unknown output (it returned, value lost) is always legal', () => {
    const h = [
      wr(0, 1, 0, 1),
      op<EtcdInput, EtcdOutput>(1, { op: 'read' }, 2, undefined, 3),
      rd(0, 1, 4, 5),
    ];
    expect(checkOperations(etcdModel, h).verdict).toBe('ok');
  });
});

describe('kv model and partitions', () => {
  type K = ReturnType<typeof op<KvInput, KvOutput>>;
  const get = (c: number, key: string, v: string, call: number, ret: number): K =>
    op(c, { op: 'get', key }, call, { value: v }, ret);
  const put = (c: number, key: string, v: string, call: number, ret: number): K =>
    op(c, { op: 'put', key, value: v }, call, {}, ret);
  const append = (c: number, key: string, v: string, call: number, ret: number): K =>
    op(c, { op: 'append', key, value: v }, call, {}, ret);

  it('a get of a missing key returns "", appends concatenate', () => {
    const h = [
      get(0, 'x', '', 0, 1),
      append(0, 'x', 'a', 2, 3),
      append(1, 'x', 'b', 2, 5),
      get(0, 'x', 'ba', 6, 7),
    ];
    expect(checkOperations(kvModel, h).verdict).toBe('ok');
  });

  it('kv states: equal strings are equal states with one hash, however they were built', () => {
    const run = (ops: KvInput[]) =>
      ops.reduce((s, i) => kvModel.step(s, i, {}) as KvState, kvModel.init());
    const a = run([
      { op: 'put', key: 'x', value: 'ab' },
      { op: 'append', key: 'x', value: '' },
      { op: 'append', key: 'x', value: 'c😀' },
    ]);
    const b = run([
      { op: 'append', key: 'x', value: 'a' },
      { op: 'append', key: 'x', value: 'bc' },
      { op: 'append', key: 'x', value: '😀' },
    ]);
    const c = run([{ op: 'put', key: 'x', value: 'abc😀' }]);
    const other = run([{ op: 'put', key: 'x', value: 'abd😀' }]);
    for (const s of [a, b, c]) {
      expect([s.value, s.length, JSON.stringify(s), kvModel.describeState!(s)]).toEqual([
        'abc😀',
        5,
        '"abc😀"',
        '"abc😀"',
      ]);
      expect([kvModel.equal!(s, a), kvModel.hash!(s)]).toEqual([true, kvModel.hash!(a)]);
      expect(kvModel.equal!(s, other)).toBe(false);
      expect(kvModel.step(s, { op: 'get', key: 'x' }, { value: 'abc😀' })).toBe(s);
      for (const wrong of ['abc', 'abd😀', 'xabc😀', '', 'abc😀x'])
        expect(kvModel.step(s, { op: 'get', key: 'x' }, { value: wrong })).toBe(ILLEGAL);
      expect(kvModel.step(s, { op: 'get', key: 'x' }, {})).toBe(ILLEGAL);
    }
  });

  it('checks keys independently and reports the illegal one', () => {
    const h = [
      put(0, 'x', '1', 0, 1),
      put(0, 'y', '1', 2, 3),
      get(1, 'y', '2', 4, 5),
      get(1, 'x', '1', 6, 7),
    ];
    const result = checkOperations(kvModel, h, { explain: true });
    expect(result.verdict).toBe('illegal');
    expect(result.partitions.map((p) => [p.key, p.verdict, p.operations])).toEqual([
      ['x', 'ok', [0, 3]],
      ['y', 'illegal', [1, 2]],
    ]);
    expect(result.partitions[1]!.failedAt).toBe(2);
  });

  it('without explain, partitions left after the first illegal one are skipped', () => {
    const h = [
      put(0, 'y', '1', 0, 1),
      get(1, 'y', '2', 2, 3),
      put(0, 'x', '1', 4, 5),
      put(0, 'x', '2', 6, 7),
      get(0, 'x', '2', 8, 9),
    ];
    const result = checkOperations(kvModel, h);
    expect(result.verdict).toBe('illegal');
    expect(result.partitions.map((p) => [p.verdict, p.reason])).toEqual([
      ['illegal', undefined],
      ['unknown', 'skipped'],
    ]);
  });

  it('a model may partition with a function over the whole history', () => {
    const model = {
      ...kvModel,
      partitionKey: undefined,
      partition: (ops: readonly K[]) => [ops.map((_, i) => i).reverse()],
    };
    const h = [put(0, 'x', '1', 0, 1), get(1, 'x', '1', 2, 3)];
    expect(checkOperations(model, h).partitions[0]!.operations).toEqual([0, 1]);
    const broken = { ...model, partition: () => [[0]] };
    expect(() => checkOperations(broken, h)).toThrow(/left out operation 1/);
  });
});

describe('events', () => {
  it('checks call/return event histories; a call without a return is an unknown outcome', () => {
    const events: Event<RegisterInput, RegisterOutput>[] = [
      { kind: 'call', id: 0, client: 0, value: { op: 'write', value: 1 } },
      { kind: 'call', id: 1, client: 1, value: { op: 'read' } },
      { kind: 'return', id: 1, value: { value: 1 } },
      { kind: 'call', id: 2, client: 1, value: { op: 'read' } },
      { kind: 'return', id: 2, value: { value: 0 } },
    ];
    expect(checkEvents(registerModel, events).verdict).toBe('illegal');
    expect(checkEvents(registerModel, events.slice(0, 3)).verdict).toBe('ok');
  });

  it('rejects a return of an operation that was never called, naming the event', () => {
    const events = [{ kind: 'return', id: 7 }] as Event<RegisterInput, RegisterOutput>[];
    expect(() => checkEvents(registerModel, events)).toThrow(
      /event 0 field "id": return of operation 7/,
    );
  });
});

describe('custom models, limits and errors', () => {
  // A counter whose increments return the new value: easy to make exponential for the search.
  const counter: Model<number, { op: 'inc' } | { op: 'read' }, { value: number }> = {
    name: 'counter',
    init: () => 0,
    step: (s, input, output) =>
      input.op === 'inc' ? s + 1 : output === undefined || output.value === s ? s : ILLEGAL,
  };
  const hard = (n: number) => {
    const ops = [];
    for (let i = 0; i < n; i++) ops.push(op(i, { op: 'inc' as const }, 0, undefined, null));
    for (let i = 0; i < n; i++)
      ops.push(op(n + i, { op: 'read' as const }, 1, { value: n + 1 }, 2));
    return ops;
  };

  it('works with the default hash and equality', () => {
    const ops = [
      op(0, { op: 'inc' as const }, 0, undefined, 1),
      op(1, { op: 'read' as const }, 2, { value: 1 }, 3),
    ];
    expect(checkOperations(counter, ops).verdict).toBe('ok');
  });

  it('returns unknown when the cache bound is reached', () => {
    const result = checkOperations(counter, hard(18), { maxCacheEntries: 1000 });
    expect(result.verdict).toBe('unknown');
    expect(result.partitions[0]!.reason).toBe('cache-limit');
    expect(result.partitions[0]!.cacheEntries).toBe(1000);
  });

  it('returns unknown when the time limit is reached', () => {
    // hard(26) needs far more than 100 ms on any machine; the check stops at its deadline.
    const result = checkOperations(counter, hard(26), { timeoutMs: 100 });
    expect(result.verdict).toBe('unknown');
    expect(result.partitions[0]!.reason).toBe('timeout');
    expect(result.elapsedMs).toBeGreaterThanOrEqual(100);
    expect(result.partitions[0]!.steps).toBeGreaterThan(0);
  });

  it('returns unknown with reason step-limit when the step budget is used up, the same way every time', () => {
    const a = checkOperations(counter, hard(26), { maxSteps: 50_000 });
    const b = checkOperations(counter, hard(26), { maxSteps: 50_000 });
    expect(a.verdict).toBe('unknown');
    expect(a.partitions[0]!.reason).toBe('step-limit');
    expect(a.partitions[0]!.steps).toBeGreaterThanOrEqual(50_000);
    expect(a.partitions[0]!.steps).toBeLessThan(50_000 + 1024);
    expect(b.partitions[0]!.steps).toBe(a.partitions[0]!.steps);
    expect(b.partitions[0]!.linearization).toEqual(a.partitions[0]!.linearization);
    // A budget large enough decides the history.
    const easy = checkOperations(counter, hard(6), { maxSteps: 1_000_000 });
    expect(easy.verdict).toBe('illegal');
    expect(() => checkOperations(counter, hard(2), { maxSteps: 0 })).toThrow(InvalidArgumentError);
  });

  it('shares the step budget among partitions', () => {
    const ops = [
      ...hard(20).map((o) => ({ ...o, input: { ...o.input, key: 'a' } })),
      ...hard(20).map((o) => ({ ...o, input: { ...o.input, key: 'b' } })),
    ];
    const keyed: Model<number, { op: 'inc' | 'read'; key?: string }, { value: number }> = {
      ...counter,
      partitionKey: (input: { key?: string }) => input.key ?? '',
    } as never;
    const result = checkOperations(keyed, ops, { maxSteps: 100_000 });
    expect(result.verdict).toBe('unknown');
    const total = result.partitions.reduce((sum, p) => sum + p.steps, 0);
    expect(total).toBeLessThan(100_000 + 2 * 1024);
    expect(result.partitions.every((p) => p.reason === 'step-limit')).toBe(true);
  });

  it('rejects bad options and malformed operations with typed errors', () => {
    expect(() => checkOperations(registerModel, [], { timeoutMs: -1 })).toThrow(
      InvalidArgumentError,
    );
    const bad = [write(0, 1, 10, 5)];
    try {
      checkOperations(registerModel, bad);
      expect.unreachable();
    } catch (error) {
      expect(InvalidHistoryError.isInstance(error)).toBe(true);
      expect((error as InvalidHistoryError).operation).toBe(0);
      expect((error as Error).message).toBe(
        'operation 0 field "return": return 5 is before call 10',
      );
    }
  });
});
