import { describe, expect, it } from 'vitest';
import { FAULT_LOST_MAX_MS } from '../src/index.js';
import { pair, seededRng } from './helpers.js';

describe('the fault layer on real sockets', () => {
  it("cut 'out': calls are lost quickly and never reach the peer; heal restores", async () => {
    const { server, client } = await pair({}, { rng: seededRng(1) });
    const end = client.end('server');
    client.faults.cut('server', 'out');
    const start = performance.now();
    expect(await end.call('Test.Echo', { n: 1 })).toEqual({ ok: false, reason: 'lost' });
    expect(performance.now() - start).toBeLessThan(FAULT_LOST_MAX_MS + 200);
    expect(server.stats().requestsServed).toBe(0);
    client.faults.heal('server');
    expect(await end.call('Test.Echo', { n: 2 })).toEqual({ ok: true, reply: { n: 2 } });
  });

  it("cut 'in' on the receiver: requests are discarded unanswered and the caller times out", async () => {
    const { server, client } = await pair({}, { callTimeoutMs: 150 });
    server.faults.cut('client', 'in');
    expect(await client.end('server').call('Test.Echo', { n: 1 })).toEqual({
      ok: false,
      reason: 'lost',
    });
    expect(server.stats().requestsServed).toBe(0);
    expect(server.stats().faultDrops).toBe(1);
    expect(client.stats().timeouts).toBe(1);
  });

  it('dropReplies: the handler runs but the caller sees a lost call', async () => {
    const { server, client } = await pair({}, { rng: seededRng(2) });
    client.faults.set({ dropReplies: 1 }, 'server');
    expect((await client.end('server').call('Test.Echo', { n: 1 })).ok).toBe(false);
    expect(server.stats().requestsServed).toBe(1);
  });

  it('dropRequests drops about the given fraction (seeded rng)', async () => {
    const { server, client } = await pair({}, { rng: seededRng(3) });
    client.faults.set({ dropRequests: 0.3 });
    const results = await Promise.all(
      Array.from({ length: 400 }, (_, n) => client.end('server').call('Test.Echo', { n })),
    );
    const lost = results.filter((r) => !r.ok).length;
    expect(lost).toBeGreaterThan(80);
    expect(lost).toBeLessThan(160);
    expect(server.stats().requestsServed).toBe(400 - lost);
    expect(client.stats().faultDrops).toBe(lost);
  });

  it('delayMs delays requests', async () => {
    const { client } = await pair({}, { rng: seededRng(4) });
    const end = client.end('server');
    await end.call('Test.Echo', { n: 0 }); // connect first
    client.faults.set({ delayMs: [60, 80] });
    const start = performance.now();
    expect((await end.call('Test.Echo', { n: 1 })).ok).toBe(true);
    expect(performance.now() - start).toBeGreaterThanOrEqual(59);
    client.faults.clear();
  });

  it('validates fault settings', async () => {
    const { client } = await pair();
    expect(() => client.faults.set({ dropRequests: 2 })).toThrow(/fraction/);
    expect(() => client.faults.set({ delayMs: [5, 1] })).toThrow(/delayMs/);
    expect(() => client.faults.cut('server', 'sideways' as 'in')).toThrow(/direction/);
  });
});
