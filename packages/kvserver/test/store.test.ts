import { describe, expect, it } from 'vitest';
import { KvStateMachine } from '../src/state-machine.js';
import type { BinRequest, BinResult } from '../src/store/types.js';

/** Applies anonymous requests and returns their outcomes. */
function machine(retain = 0) {
  const sm = new KvStateMachine(retain);
  const run = (request: BinRequest) => sm.apply({ kind: 'exec', clientId: '', seq: 0, request });
  const ok = (request: BinRequest): BinResult => {
    const o = run(request);
    if (o.err !== 'OK') throw new Error(`${request.op}: ${o.err}`);
    return o.result!;
  };
  return { sm, run, ok };
}

describe('revisions', () => {
  it('every write adds one revision; a txn adds one for all its writes; reads and no-op deletes none', () => {
    const { sm, ok } = machine();
    expect(sm.kv.revision).toBe(1);
    expect(ok({ op: 'put', key: 'a', value: '1' })).toEqual({ op: 'put', revision: 2 });
    ok({ op: 'put', key: 'a', value: '2' });
    ok({ op: 'deleteRange', key: 'zz' });
    ok({ op: 'range', key: 'a' });
    expect(sm.kv.revision).toBe(3);
    const t = ok({
      op: 'txn',
      success: [
        { op: 'put', key: 'b', value: 'x' },
        { op: 'put', key: 'c', value: 'y' },
        { op: 'range', key: 'b' },
      ],
    });
    expect(sm.kv.revision).toBe(4);
    expect(t).toMatchObject({ op: 'txn', revision: 4, succeeded: true });
    const r = ok({ op: 'range', key: 'a' }) as BinResult & { op: 'range' };
    expect(r.kvs[0]).toEqual({
      key: 'a',
      createRevision: 2,
      modRevision: 3,
      version: 2,
      value: '2',
      lease: 0,
    });
  });

  it('a delete resets version and create revision; append keeps them counting', () => {
    const { ok } = machine();
    ok({ op: 'put', key: 'k', value: 'a' });
    ok({ op: 'append', key: 'k', value: 'b' });
    ok({ op: 'deleteRange', key: 'k' });
    ok({ op: 'append', key: 'k', value: 'c' });
    const r = ok({ op: 'range', key: 'k' }) as BinResult & { op: 'range' };
    expect(r.kvs).toEqual([
      { key: 'k', createRevision: 5, modRevision: 5, version: 1, value: 'c', lease: 0 },
    ]);
  });

  it('without history, older revisions are compacted; with history they read as they were', () => {
    const none = machine(0);
    none.ok({ op: 'put', key: 'k', value: '1' });
    none.ok({ op: 'put', key: 'k', value: '2' });
    expect(none.run({ op: 'range', key: 'k', revision: 2 }).err).toBe('ErrCompacted');
    expect(none.run({ op: 'range', key: 'k', revision: 9 }).err).toBe('ErrFutureRevision');
    const kept = machine(10);
    kept.ok({ op: 'put', key: 'k', value: '1' });
    kept.ok({ op: 'put', key: 'k', value: '2' });
    kept.ok({ op: 'deleteRange', key: 'k' });
    const at2 = kept.ok({ op: 'range', key: 'k', revision: 2 }) as BinResult & { op: 'range' };
    expect(at2.kvs.map((kv) => kv.value)).toEqual(['1']);
    expect(at2.revision).toBe(4);
    expect(kept.ok({ op: 'compact', revision: 3 })).toEqual({ op: 'compact', revision: 4 });
    expect(kept.run({ op: 'range', key: 'k', revision: 2 }).err).toBe('ErrCompacted');
    expect(kept.run({ op: 'compact', revision: 3 }).err).toBe('ErrCompacted');
    const at3 = kept.ok({ op: 'range', key: 'k', revision: 3 }) as BinResult & { op: 'range' };
    expect(at3.kvs.map((kv) => kv.value)).toEqual(['2']);
  });
});

describe('txn', () => {
  it('compare-and-set on mod revision, atomically; a failed check changes nothing', () => {
    const { sm, ok, run } = machine();
    ok({ op: 'put', key: 'lock', value: 'free' });
    const cas = (mod: number, value: string) =>
      ok({
        op: 'txn',
        compare: [{ key: 'lock', target: 2, result: 0, modRevision: mod }],
        success: [{ op: 'put', key: 'lock', value }],
        failure: [{ op: 'range', key: 'lock' }],
      }) as BinResult & { op: 'txn' };
    expect(cas(2, 'a').succeeded).toBe(true);
    expect(cas(2, 'b').succeeded).toBe(false);
    expect(sm.get('lock')).toBe('a');
    // A txn whose chosen branch hits an error (unknown lease) applies none of its writes.
    const bad = run({
      op: 'txn',
      success: [
        { op: 'put', key: 'x', value: '1' },
        { op: 'put', key: 'y', value: '2', lease: 99 },
      ],
    });
    expect(bad.err).toBe('ErrLeaseNotFound');
    expect(sm.get('x')).toBeUndefined();
    expect(sm.kv.revision).toBe(3);
  });

  it('nested compares are decided on the state before the txn', () => {
    const { ok } = machine();
    const r = ok({
      op: 'txn',
      success: [
        { op: 'put', key: 'a', value: '1' },
        {
          op: 'txn',
          compare: [{ key: 'a', target: 0, result: 0, version: 0 }],
          success: [{ op: 'range', key: 'a' }],
        },
      ],
    }) as BinResult & { op: 'txn' };
    const nested = r.responses[1] as BinResult & { op: 'txn' };
    expect(nested.succeeded).toBe(true);
    expect(nested.revision).toBe(0);
    expect((nested.responses[0] as BinResult & { op: 'range' }).kvs[0]?.value).toBe('1');
  });
});

describe('leases', () => {
  it('revoking a lease deletes its keys in one revision; a put moves a key between leases', () => {
    const { sm, ok, run } = machine();
    ok({ op: 'leaseGrant', id: 7, ttl: 10 });
    expect(run({ op: 'leaseGrant', id: 7, ttl: 10 }).err).toBe('ErrLeaseExists');
    ok({ op: 'put', key: 'a', value: '1', lease: 7 });
    ok({ op: 'put', key: 'b', value: '1', lease: 7 });
    ok({ op: 'put', key: 'b', value: '2' });
    ok({ op: 'put', key: 'c', value: '1', lease: 7, prevKv: true });
    expect([...sm.kv.leases.get(7)!.keys].sort()).toEqual(['a', 'c']);
    ok({ op: 'leaseRevoke', id: 7 });
    expect(sm.kv.revision).toBe(6);
    expect(sm.get('a')).toBeUndefined();
    expect(sm.get('b')).toBe('2');
    expect(run({ op: 'leaseRevoke', id: 7 }).err).toBe('ErrLeaseNotFound');
  });
});

describe('snapshot', () => {
  it('round-trips store, history, leases and duplicate table; hashes agree', () => {
    const { sm, ok } = machine(100);
    ok({ op: 'leaseGrant', id: -3, ttl: 60 });
    for (let i = 0; i < 50; i++)
      ok({ op: 'put', key: `k${i % 7}`, value: `v${i}\u00ff`, lease: i % 2 ? -3 : 0 });
    ok({ op: 'deleteRange', key: 'k3' });
    sm.apply({ kind: 'put', clientId: 'clerk', seq: 4, key: 'p', value: 'q' });
    const restored = new KvStateMachine(100);
    expect(restored.restore(sm.snapshot(77))).toBe(77);
    expect(restored.hash()).toBe(sm.hash());
    expect(restored.snapshot(77)).toEqual(sm.snapshot(77));
    expect(restored.kv.liveKeys).toBe(7); // k0..k6 without k3, and p
    expect(restored.executedReply('clerk', 4)).toEqual({
      err: 'OK',
      result: { op: 'put', revision: 53 },
    });
    const old = restored.apply({
      kind: 'exec',
      clientId: '',
      seq: 0,
      request: { op: 'range', key: 'k1', revision: 5 },
    });
    expect(old.err).toBe('OK');
    expect(() => restored.restore(new Uint8Array([1, 2, 3]))).toThrow(/bad magic/);
  });

  it('is linear: bytes grow with the content, not with the number of writes', () => {
    const { sm, ok } = machine(0);
    for (let i = 0; i < 1000; i++) ok({ op: 'put', key: 'x', value: String(i % 2) });
    expect(sm.snapshot(1).length).toBeLessThan(40);
    for (let i = 0; i < 1000; i++) ok({ op: 'put', key: `key-${i}`, value: 'v'.repeat(100) });
    const size = sm.snapshot(1).length;
    expect(size).toBeGreaterThan(1000 * 108);
    expect(size).toBeLessThan(1000 * 120);
  });
});
