import { describe, expect, it } from 'vitest';
import { decodeCommand, encodeCommand, type KvCommand } from '../src/command.js';
import { KvStateMachine } from '../src/state-machine.js';
import { requestProblem } from '@raftkit/kv-protocol';

describe('KvStateMachine', () => {
  it('get of a missing key is ""; append to a missing key acts as put', () => {
    const sm = new KvStateMachine();
    expect(sm.apply({ kind: 'get', clientId: 'a', seq: 1, key: 'k' }).value).toBe('');
    sm.apply({ kind: 'append', clientId: 'a', seq: 2, key: 'k', value: 'x' });
    sm.apply({ kind: 'append', clientId: 'a', seq: 3, key: 'k', value: 'y' });
    expect(sm.get('k')).toBe('xy');
    sm.apply({ kind: 'put', clientId: 'b', seq: 1, key: 'k', value: 'z' });
    expect(sm.get('k')).toBe('z');
  });

  it('executes each (clientId, seq) write once, and keeps one table entry per clerk', () => {
    const sm = new KvStateMachine();
    const op: KvCommand = { kind: 'append', clientId: 'c', seq: 1, key: 'k', value: 'x' };
    expect(sm.apply(op).duplicate).toBe(false);
    expect(sm.apply(op).duplicate).toBe(true);
    expect(sm.get('k')).toBe('x');
    for (let seq = 2; seq < 100; seq++)
      sm.apply({ kind: 'append', clientId: 'c', seq, key: 'k', value: '.' });
    expect(sm.clientCount).toBe(1);
    // An old retry arriving late never re-executes.
    expect(sm.apply({ ...op, seq: 50 }).duplicate).toBe(true);
  });

  it('a snapshot carries the store, the duplicate table and its index', () => {
    const sm = new KvStateMachine();
    sm.apply({ kind: 'put', clientId: 'c', seq: 4, key: 'a', value: '1' });
    const bytes = sm.snapshot(17);
    const restored = new KvStateMachine();
    expect(restored.restore(bytes)).toBe(17);
    expect(restored.get('a')).toBe('1');
    expect(restored.isExecuted('c', 4)).toBe(true);
    expect(
      restored.apply({ kind: 'put', clientId: 'c', seq: 4, key: 'a', value: '2' }).duplicate,
    ).toBe(true);
    expect(restored.restore(new Uint8Array())).toBe(0);
    expect(restored.get('a')).toBe('');
  });
});

describe('command encoding', () => {
  it('round-trips every kind and rejects foreign entries', () => {
    const commands: KvCommand[] = [
      { kind: 'put', clientId: 'c', seq: 1, key: 'k', value: 'v' },
      { kind: 'append', clientId: 'c', seq: 2, key: 'k', value: 'v' },
      { kind: 'get', clientId: 'c', seq: 3, key: 'k' },
      { kind: 'noop' },
    ];
    for (const c of commands) expect(decodeCommand(encodeCommand(c))).toEqual(c);
    expect(decodeCommand(42)).toBeUndefined();
    expect(decodeCommand([9, 'c', 1, 'k', 'v'])).toBeUndefined();
    expect(decodeCommand([1, 'c', 1, 'k'])).toBeUndefined();
  });
});

describe('request validation', () => {
  const limits = { maxKeyLength: 8, maxValueLength: 16 };
  it('accepts well-formed requests', () => {
    expect(
      requestProblem({ clientId: 'c', seq: 1, key: 'k', value: 'v' }, true, limits),
    ).toBeUndefined();
    expect(requestProblem({ clientId: 'c', seq: 1, key: 'k' }, false, limits)).toBeUndefined();
  });
  it('names what is wrong', () => {
    expect(requestProblem(null, false, limits)).toMatch(/object/);
    expect(requestProblem({ clientId: '', seq: 1, key: 'k' }, false, limits)).toMatch(/clientId/);
    expect(requestProblem({ clientId: 'c', seq: 0, key: 'k' }, false, limits)).toMatch(/seq/);
    expect(requestProblem({ clientId: 'c', seq: 1, key: 5 }, false, limits)).toMatch(
      /key must be a string/,
    );
    expect(requestProblem({ clientId: 'c', seq: 1, key: 'k'.repeat(9) }, false, limits)).toMatch(
      /limit is 8/,
    );
    expect(requestProblem({ clientId: 'c', seq: 1, key: 'k', value: 3 }, true, limits)).toMatch(
      /value must be a string/,
    );
    expect(
      requestProblem({ clientId: 'c', seq: 1, key: 'k', value: 'v'.repeat(17) }, true, limits),
    ).toMatch(/limit is 16/);
  });
});

describe('KvStateMachine.digest', () => {
  it('is equal for equal states whatever the insertion order, and differs when a value does', () => {
    const a = new KvStateMachine();
    const b = new KvStateMachine();
    a.apply({ kind: 'put', clientId: 'c1', seq: 1, key: 'x', value: '1' });
    a.apply({ kind: 'put', clientId: 'c2', seq: 1, key: 'y', value: '2' });
    b.apply({ kind: 'put', clientId: 'c2', seq: 1, key: 'y', value: '2' });
    b.apply({ kind: 'put', clientId: 'c1', seq: 1, key: 'x', value: '1' });
    expect(b.digest()).toBe(a.digest());
    b.apply({ kind: 'append', clientId: 'c1', seq: 2, key: 'x', value: '!' });
    expect(b.digest()).not.toBe(a.digest());
    // The duplicate table is part of the state: same store, different last sequence numbers.
    const c = new KvStateMachine();
    c.apply({ kind: 'put', clientId: 'c1', seq: 5, key: 'x', value: '1' });
    c.apply({ kind: 'put', clientId: 'c2', seq: 1, key: 'y', value: '2' });
    expect(c.digest()).not.toBe(a.digest());
    const restored = new KvStateMachine();
    restored.restore(a.snapshot(2));
    expect(restored.digest()).toBe(a.digest());
  });
});
