import { describe, expect, it } from 'vitest';
import { serviceClient } from '@raftkit/core';
import { junkService, oneLink } from './helpers.js';

/** Runs `n` calls on an unreliable network; returns how many got replies and how many handlers ran. */
async function unreliableRound(seed: number, n: number) {
  const { sim, net, end, log } = oneLink(seed);
  net.setReliable(false);
  const client = serviceClient(end, junkService);
  const replies = await sim.run(() =>
    Promise.all(Array.from({ length: n }, (_, i) => client.call('Handler2', i))),
  );
  return { ok: replies.filter((r) => r.ok).length, ran: log.length, net };
}

describe('SimNetwork statistics over many seeds', () => {
  it('unreliable mode drops ~10% of requests and ~10% of replies', async () => {
    let calls = 0;
    let ran = 0;
    let ok = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const r = await unreliableRound(seed, 250);
      calls += 250;
      ran += r.ran;
      ok += r.ok;
      expect(r.net.serverRpcCount('s')).toBe(r.ran);
      expect(r.net.totalRpcCount()).toBe(250);
    }
    const requestDrop = 1 - ran / calls;
    const replyDrop = 1 - ok / ran;
    // 10 000 trials: the standard deviation is 0.3%, so ±1.5% is a 5-sigma window.
    expect(requestDrop).toBeGreaterThan(0.085);
    expect(requestDrop).toBeLessThan(0.115);
    expect(replyDrop).toBeGreaterThan(0.085);
    expect(replyDrop).toBeLessThan(0.115);
  });

  it('unreliable mode adds up to 26 ms of delay to requests', async () => {
    for (let seed = 1; seed <= 10; seed++) {
      const { sim, net, end } = oneLink(seed);
      net.setReliable(false);
      const client = serviceClient(end, junkService);
      const rtts = await sim.run(() =>
        Promise.all(
          Array.from({ length: 100 }, async () => {
            const t0 = sim.clock.now();
            const r = await client.call('Echo', 'x');
            return r.ok ? sim.clock.now() - t0 : undefined;
          }),
        ),
      );
      const delivered = rtts.filter((d): d is number => d !== undefined);
      expect(Math.max(...delivered)).toBeLessThanOrEqual(26 + 4);
      expect(Math.max(...delivered)).toBeGreaterThan(15);
    }
  });

  it('counts and bytes are exact: bytes = Σ encoded args + Σ delivered replies', async () => {
    const r = await unreliableRound(99, 300);
    // Handler2 args are ints 0..299 and replies "handler2-<i>": msgpack sizes are known.
    const argBytes = Array.from({ length: 300 }, (_, i) => (i < 128 ? 1 : i < 256 ? 2 : 3)).reduce(
      (a, b) => a + b,
      0,
    );
    const bytes = r.net.totalBytes();
    expect(bytes).toBeGreaterThan(argBytes);
    // Each reply "handler2-N" is 1 + 9 + digits bytes.
    const replyMin = r.ok * 11;
    const replyMax = r.ok * 13;
    expect(bytes - argBytes).toBeGreaterThanOrEqual(replyMin);
    expect(bytes - argBytes).toBeLessThanOrEqual(replyMax);
  });
});
