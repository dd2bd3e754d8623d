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

  it('a term change, a deadline or a kill settles only the waiters it concerns, and forgets them', async () => {
    const w = new ApplyWaiters();
    const settled: string[] = [];
    const track = <T>(name: string, p: Promise<T>) =>
      p.then((v) => {
        settled.push(name);
        return v;
      });
    const lost = track('lost', w.waitForEntry(1, 1, 1000, undefined));
    const late = track('late', w.waitForEntry(2, 2, 50, undefined));
    const read = track('read', w.waitForApplied(9, 40));
    expect(w.size).toBe(3);
    w.termChanged(2, true);
    expect(await lost).toEqual({ err: 'ErrWrongLeader' });
    expect(w.size).toBe(2);
    w.expire(45);
    expect(await read).toEqual({ err: 'ErrTimeout' });
    expect(w.size).toBe(1);
    w.expire(50);
    expect(await late).toEqual({ err: 'ErrTimeout' });
    expect(w.size).toBe(0);
    const killed = track('killed', w.waitForEntry(3, 2, 1000, undefined));
    w.failAll('ErrKilled');
    expect(await killed).toEqual({ err: 'ErrKilled' });
    expect(w.size).toBe(0);
    // Each waiter settled in turn, by the event that concerned it, and nothing else.
    expect(settled).toEqual(['lost', 'read', 'late', 'killed']);
    // A later apply of the killed entry's index settles only a new waiter for it.
    const again = track('again', w.waitForEntry(3, 2, 1000, undefined));
    w.applied(3, 2, { err: 'OK' });
    expect(await again).toEqual({ err: 'OK' });
    expect(await killed).toEqual({ err: 'ErrKilled' });
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
