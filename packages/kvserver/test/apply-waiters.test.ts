import { describe, expect, it } from 'vitest';
import { ApplyWaiters } from '../src/apply-waiters.js';

describe('ApplyWaiters', () => {
  it('OK when the entry applies in its term; ErrWrongLeader when another term took the index', async () => {
    const w = new ApplyWaiters();
    const a = w.waitForEntry(5, 2, 1000, { clientId: 'c', seq: 1 });
    const b = w.waitForEntry(6, 2, 1000, undefined);
    w.applied(5, 2, { err: 'OK' });
    w.applied(6, 3, { err: 'OK', value: 'v' });
    expect(await a).toEqual({ err: 'OK' });
    expect(await b).toEqual({ err: 'ErrWrongLeader' });
    expect(w.size).toBe(0);
  });

  it('a term change, a deadline or a kill settles every waiter exactly once', async () => {
    const w = new ApplyWaiters();
    const lost = w.waitForEntry(1, 1, 1000, undefined);
    const late = w.waitForEntry(2, 2, 50, undefined);
    const read = w.waitForApplied(9, 40);
    w.termChanged(2, true);
    expect(await lost).toEqual({ err: 'ErrWrongLeader' });
    w.expire(45);
    expect(await read).toEqual({ err: 'ErrTimeout' });
    w.expire(50);
    expect(await late).toEqual({ err: 'ErrTimeout' });
    const killed = w.waitForEntry(3, 2, 1000, undefined);
    w.failAll('ErrKilled');
    expect(await killed).toEqual({ err: 'ErrKilled' });
    w.applied(3, 2, { err: 'OK' });
  });

  it('a snapshot settles writes by the duplicate table and releases reads', async () => {
    const w = new ApplyWaiters();
    const done = w.waitForEntry(3, 1, 1000, { clientId: 'a', seq: 7 });
    const notDone = w.waitForEntry(4, 1, 1000, { clientId: 'b', seq: 1 });
    const get = w.waitForEntry(5, 1, 1000, undefined);
    const after = w.waitForEntry(11, 1, 1000, undefined);
    const read = w.waitForApplied(8, 1000);
    w.snapshotInstalled(10, (clientId, seq) =>
      clientId === 'a' && seq === 7 ? { err: 'OK' } : undefined,
    );
    expect(await done).toEqual({ err: 'OK' });
    expect(await notDone).toEqual({ err: 'ErrWrongLeader' });
    expect(await get).toEqual({ err: 'ErrWrongLeader' });
    expect(await read).toBeUndefined();
    expect(w.size).toBe(1);
    w.applied(11, 1, { err: 'OK', value: 'x' });
    expect(await after).toEqual({ err: 'OK', value: 'x' });
  });
});
