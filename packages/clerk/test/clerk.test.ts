import { RealTimeInSimulationError } from '@raftkit/core';
import type { Simulation } from '@raftkit/labrpc';
import { describe, expect, it } from 'vitest';
import { Clerk, ClerkAbortedError, KvBadRequestError } from '../src/index.js';
import { fakeGroup } from './fake-group.js';

describe('Clerk', () => {
  it('finds the leader, remembers it, and numbers its requests', async () => {
    const { sim, state, ends } = fakeGroup(3);
    state.leader = 2;
    const ck = new Clerk(ends, { clock: sim.clock, rng: sim.rng.fork('ck'), clientId: 'ck-1' });
    await sim.run(async () => {
      await ck.put('a', '1');
      await ck.append('a', '2');
      expect(await ck.get('a')).toBe('12');
      expect(await ck.get('missing')).toBe('');
    });
    // First call tried 0, 1, then 2; later calls go straight to 2.
    expect(state.seen.map((s) => s.server)).toEqual([0, 1, 2, 2, 2, 2]);
    expect(state.seen.map((s) => (s.args as { seq: number }).seq)).toEqual([1, 1, 1, 2, 3, 4]);
    expect(state.seen.map((s) => (s.args as { request?: { op: string } }).request?.op)).toEqual([
      'put',
      'put',
      'put',
      'append',
      undefined,
      undefined,
    ]);
    expect(state.seen.every((s) => (s.args as { clientId: string }).clientId === 'ck-1')).toBe(
      true,
    );
  });

  it('keeps retrying through lost calls and leader changes, with the same request id', async () => {
    const { sim, net, state, ends } = fakeGroup(3);
    const ck = new Clerk(ends, { clock: sim.clock, rng: sim.rng.fork('ck') });
    await sim.run(async () => {
      net.enable('c-0', false);
      setLeaderLater(sim, state, 1, 300);
      await ck.put('k', 'v');
    });
    expect(state.store.get('k')).toBe('v');
    const seqs = new Set(state.seen.map((s) => (s.args as { seq: number }).seq));
    expect(seqs).toEqual(new Set([1]));
    expect(sim.clock.now()).toBeGreaterThanOrEqual(300);
  });

  it('a deadline or an abort ends a call with a typed error', async () => {
    const { sim, state, ends } = fakeGroup(3);
    state.leader = 99; // nobody is leader
    const ck = new Clerk(ends, { clock: sim.clock, rng: sim.rng.fork('ck') });
    const timedOut = await sim.run(() => ck.get('k', { timeoutMs: 200 }).catch((e: unknown) => e));
    expect(ClerkAbortedError.isInstance(timedOut)).toBe(true);
    expect((timedOut as ClerkAbortedError).reason).toBe('deadline');
    const ac = new AbortController();
    const aborted = await sim.run(() => {
      sim.clock.setTimer(50, () => ac.abort());
      return ck.put('k', 'v', { signal: ac.signal }).catch((e: unknown) => e);
    });
    expect((aborted as ClerkAbortedError).reason).toBe('aborted');
  });

  it('a bad request is reported, not retried', async () => {
    const { sim, ends, state } = fakeGroup(3);
    const ck = new Clerk(ends, { clock: sim.clock, rng: sim.rng.fork('ck') });
    const error = await sim.run(() => ck.put('k', 'bad').catch((e: unknown) => e));
    expect(KvBadRequestError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/value is bad/);
    // Exactly one request reached a server: the clerk did not retry it, there or elsewhere.
    expect(state.seen).toHaveLength(1);
  });

  it('refuses to fall back to real time or real randomness inside a running simulation', async () => {
    const { sim, ends } = fakeGroup(1);
    const errors = await sim.run(async () => {
      const out: unknown[] = [];
      for (const options of [{}, { clock: sim.clock }, { rng: sim.rng }]) {
        try {
          new Clerk(ends, options);
        } catch (error) {
          out.push(error);
        }
      }
      return out;
    });
    expect(errors).toHaveLength(3);
    for (const e of errors) expect(RealTimeInSimulationError.isInstance(e)).toBe(true);
    // With both given it works, inside the simulation too.
    const ck = await sim.run(async () => new Clerk(ends, { clock: sim.clock, rng: sim.rng }));
    expect(ck.clientId).toMatch(/^[0-9a-z]{16}$/);
  });

  it('validates its arguments', () => {
    const { sim, ends } = fakeGroup(1);
    expect(() => new Clerk([], { clock: sim.clock })).toThrow(/at least one server/);
    expect(() => new Clerk(ends, { clock: sim.clock, clientId: '' })).toThrow(/clientId/);
    const ck = new Clerk(ends, { clock: sim.clock, rng: sim.rng });
    return expect(ck.put(5 as unknown as string, 'v')).rejects.toThrow(/key must be a string/);
  });
});

function setLeaderLater(
  sim: Simulation,
  state: { leader: number },
  leader: number,
  at: number,
): void {
  state.leader = 99;
  sim.clock.setTimer(at, () => {
    state.leader = leader;
  });
}
