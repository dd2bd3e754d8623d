import { InvalidArgumentError } from '@raftkit/core';
import { MAX_CLIENT_ID_LENGTH } from '@raftkit/kv-protocol';
import { describe, expect, it } from 'vitest';
import { Clerk, ClerkAbortedError, ClientIdInUseError, KvRequestError } from '../src/index.js';
import { fakeGroup } from './fake-group.js';

const seed = Number(process.env.SEED ?? 1);

describe('a deadline or an abort settles the call at that moment', () => {
  it('a get with timeoutMs 100 to servers that never answer rejects at exactly +100 ms', async () => {
    console.log(`seed=${seed}`);
    const { sim, state, ends } = fakeGroup(3, seed);
    state.hang = true;
    const ck = new Clerk(ends, { clock: sim.clock, rng: sim.rng.fork('ck') });
    const t0 = sim.clock.now();
    const error = await sim.run(async () => {
      const e = await ck.get('k', { timeoutMs: 100 }).catch((x: unknown) => x);
      return { e, at: sim.clock.now() };
    });
    expect(ClerkAbortedError.isInstance(error.e)).toBe(true);
    expect((error.e as ClerkAbortedError).reason).toBe('deadline');
    expect(error.at - t0).toBe(100);
    expect((error.e as Error).message).toMatch(/no result/);
  });

  it('an AbortSignal fired at 300 ms ends a put in flight at 300 ms; the error says the outcome is unknown', async () => {
    const { sim, state, ends } = fakeGroup(3, seed);
    state.hang = true;
    const ck = new Clerk(ends, { clock: sim.clock, rng: sim.rng.fork('ck') });
    const ac = new AbortController();
    const result = await sim.run(async () => {
      sim.clock.setTimer(300, () => ac.abort(new Error('user gave up')));
      const e = await ck.put('k', 'v', { signal: ac.signal }).catch((x: unknown) => x);
      return { e, at: sim.clock.now() };
    });
    expect((result.e as ClerkAbortedError).reason).toBe('aborted');
    expect(result.at).toBe(300);
    expect((result.e as Error).message).toMatch(/outcome unknown/);
    expect((result.e as Error).cause).toEqual(new Error('user gave up'));
  });

  it('an already-aborted signal sends nothing', async () => {
    const { sim, state, ends } = fakeGroup(3, seed);
    const ck = new Clerk(ends, { clock: sim.clock, rng: sim.rng.fork('ck') });
    const e = await sim.run(() => ck.get('k', { signal: AbortSignal.abort() }).catch((x) => x));
    expect(ClerkAbortedError.isInstance(e)).toBe(true);
    expect(state.seen).toHaveLength(0);
  });
});

describe('options are checked against the protocol before anything is sent', () => {
  const { sim, ends, state } = fakeGroup(1, seed);
  const make = (o: object) => () => new Clerk(ends, { clock: sim.clock, rng: sim.rng, ...o });

  it.each([
    [{ clientId: 'x'.repeat(MAX_CLIENT_ID_LENGTH + 1) }, /clientId/],
    [{ clientId: '' }, /clientId/],
    [{ clientId: 'id\ud800' }, /well-formed/],
    [{ retryPauseMs: -1 }, /retryPauseMs/],
    [{ retryPauseMs: Number.NaN }, /retryPauseMs/],
    [{ retryPauseMs: Number.POSITIVE_INFINITY }, /retryPauseMs/],
    [{ clock: {} }, /clock must implement/],
    [{ limits: { maxKeyBytes: 0, maxValueBytes: 1 } }, /limits.maxKeyBytes/],
  ])('the constructor refuses %j', (options, message) => {
    expect(make(options)).toThrow(InvalidArgumentError);
    expect(make(options)).toThrow(message);
  });

  it.each([
    [{ timeoutMs: Number.NaN }, /timeoutMs/],
    [{ timeoutMs: 0 }, /timeoutMs/],
    [{ timeoutMs: -5 }, /timeoutMs/],
    [{ timeoutMs: 2 ** 31 }, /timeoutMs/],
    [{ signal: 'stop' }, /signal/],
  ])('a call refuses %j', async (options, message) => {
    const ck = make({})();
    await expect(ck.get('k', options as never)).rejects.toThrow(message);
    await expect(ck.put('k', 'v', options as never)).rejects.toThrow(InvalidArgumentError);
    expect(state.seen).toHaveLength(0);
  });

  it('keys and values that cannot round-trip, or exceed the limits, are refused', async () => {
    const ck = make({ limits: { maxKeyBytes: 4, maxValueBytes: 8 } })();
    await expect(ck.put('v', '😀 ok'.slice(1))).rejects.toThrow(/unpaired surrogate/);
    await expect(ck.put('key\ud800', 'one')).rejects.toThrow(/unpaired surrogate/);
    await expect(ck.get('\udc00')).rejects.toThrow(/unpaired surrogate/);
    await expect(ck.put('k', '123456789')).rejects.toThrow(/9 bytes; the limit is 8/);
    await expect(ck.put('😀😀', 'v')).rejects.toThrow(/8 bytes; the limit is 4/);
    await expect(ck.put('', 'v')).rejects.toThrow(/key is not provided/);
    await expect(ck.range('k', { sortTarget: 9 })).rejects.toThrow(/sortTarget/);
    expect(state.seen).toHaveLength(0);
  });
});

describe('client ids', () => {
  it('are random by default', () => {
    const { sim, ends } = fakeGroup(1, seed);
    const a = new Clerk(ends, { clock: sim.clock });
    const b = new Clerk(ends, { clock: sim.clock });
    expect(a.clientId).toMatch(/^[0-9a-z]{16}$/);
    expect(a.clientId).not.toBe(b.clientId);
  });

  it('a second clerk with the same explicit id on one clock is refused until the first closes', () => {
    const { sim, ends } = fakeGroup(1, seed);
    const a = new Clerk(ends, { clock: sim.clock, clientId: 'shared' });
    expect(() => new Clerk(ends, { clock: sim.clock, clientId: 'shared' })).toThrow(
      ClientIdInUseError,
    );
    a.close();
    expect(new Clerk(ends, { clock: sim.clock, clientId: 'shared' }).clientId).toBe('shared');
  });

  it('a server that saw the id overtaken reports it as ClientIdInUseError; etcd errors are typed', async () => {
    const { sim, state, ends } = fakeGroup(1, seed);
    const ck = new Clerk(ends, { clock: sim.clock, rng: sim.rng.fork('ck') });
    state.answer = 'ErrClientIdInUse';
    const e = await sim.run(() => ck.put('k', 'v').catch((x: unknown) => x));
    expect(ClientIdInUseError.isInstance(e)).toBe(true);
    state.answer = 'ErrCompacted';
    const c = await sim.run(() => ck.put('k', 'v').catch((x: unknown) => x));
    expect(KvRequestError.isInstance(c)).toBe(true);
    expect((c as KvRequestError).err).toBe('ErrCompacted');
    expect((c as Error).message).toMatch(/required revision has been compacted/);
  });
});
