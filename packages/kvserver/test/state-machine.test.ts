import { describe, expect, it } from 'vitest';
import { decodeCommand, encodeCommand, type KvCommand } from '../src/command.js';
import { KvStateMachine } from '../src/state-machine.js';
import { requestProblem } from '@raftkit/kv-protocol';

describe('KvStateMachine', () => {
  it('get of a missing key is ""; append to a missing key acts as put', () => {
    const sm = new KvStateMachine();
    expect(sm.apply({ kind: 'get', clientId: 'a', seq: 1, key: 'k' }).value).toBeUndefined();
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
    // An older seq never re-executes: only another clerk with this id would send it now.
    const late = sm.apply({ ...op, seq: 50 });
    expect(late.err).toBe('ErrClientIdInUse');
    expect(sm.get('k')).toBe('x' + '.'.repeat(98));
    // The same seq with other content is another clerk too; the same content is a retry.
    expect(sm.apply({ ...op, seq: 99, value: 'other' }).err).toBe('ErrClientIdInUse');
    expect(
      sm.apply({ kind: 'append', clientId: 'c', seq: 99, key: 'k', value: '.' }).duplicate,
    ).toBe(true);
  });

  it('a snapshot carries the store, the duplicate table and its index', () => {
    const sm = new KvStateMachine();
    sm.apply({ kind: 'put', clientId: 'c', seq: 4, key: 'a', value: '1' });
    const bytes = sm.snapshot(17);
    const restored = new KvStateMachine();
    expect(restored.restore(bytes)).toBe(17);
    expect(restored.get('a')).toBe('1');
    expect(restored.executedReply('c', 4)?.err).toBe('OK');
    expect(
      restored.apply({ kind: 'put', clientId: 'c', seq: 4, key: 'a', value: '1' }).duplicate,
    ).toBe(true);
    expect(restored.restore(new Uint8Array())).toBe(0);
    expect(restored.get('a')).toBeUndefined();
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
  const limits = { maxKeyBytes: 8, maxValueBytes: 16 };
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
      /9 bytes; the limit is 8/,
    );
    expect(requestProblem({ clientId: 'c', seq: 1, key: 'k', value: 3 }, true, limits)).toMatch(
      /value must be a string or a Uint8Array/,
    );
    expect(
      requestProblem({ clientId: 'c', seq: 1, key: 'k', value: 'v'.repeat(17) }, true, limits),
    ).toMatch(/17 bytes; the limit is 16/);
  });
});
