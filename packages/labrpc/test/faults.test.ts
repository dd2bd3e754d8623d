import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, RpcServer, serviceClient } from '@raftkit/core';
import { SimNetwork, Simulation } from '../src/index.js';
import { junkService, makeJunkServer, oneLink } from './helpers.js';

describe('SimNetwork validates its settings at construction', () => {
  const sim = new Simulation({ seed: 1, printTrace: false });
  it.each([
    ['requestDropRate', { requestDropRate: 1.5 }],
    ['replyDropRate', { replyDropRate: -0.1 }],
    ['reorderRate', { reorderRate: Number.NaN }],
    ['latencyMs', { latencyMs: [3, 1] as const }],
    ['latencyMs', { latencyMs: [0, Number.POSITIVE_INFINITY] as const }],
    ['handlerTimeoutMs', { handlerTimeoutMs: 0 }],
    ['faults.duplicateRate', { faults: { duplicateRate: 2 } }],
    ['faults.spikeMs', { faults: { spikeRate: 0.1, spikeMs: [10, 5] as const } }],
  ])('rejects a bad %s', (argument, options) => {
    let error: unknown;
    try {
      new SimNetwork(sim, options);
    } catch (e) {
      error = e;
    }
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentError).argument).toBe(argument);
  });

  it('rejects bad faults given later, leaving the old ones in force', () => {
    const net = new SimNetwork(sim);
    net.setFaults({ duplicateRate: 0.5 });
    expect(() => net.setFaults({ spikeRate: 7 })).toThrow(/spikeRate must be a probability/);
  });

  it('a drop rate of 1 drops every request, and calls never throw', async () => {
    const s = new Simulation({ seed: 2, printTrace: false });
    const net = new SimNetwork(s, { requestDropRate: 1 });
    const { server, log } = makeJunkServer(s);
    net.addServer('s', server);
    const end = net.makeEnd('e');
    net.connect('e', 's');
    net.enable('e', true);
    net.setReliable(false);
    const client = serviceClient(end, junkService);
    const results = await s.run(() =>
      Promise.all(Array.from({ length: 20 }, (_, i) => client.call('Handler2', i))),
    );
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(log).toEqual([]);
  });
});

describe('SimNetwork faults beyond the lab', () => {
  it('duplication runs a handler twice for some requests; the caller sees one reply', async () => {
    const { sim, net, end, log } = oneLink(5);
    net.setFaults({ duplicateRate: 0.5 });
    const client = serviceClient(end, junkService);
    const replies = await sim.run(async () => {
      const out: unknown[] = [];
      for (let i = 0; i < 100; i++) out.push(await client.call('Handler2', i));
      return out;
    });
    expect(replies).toEqual(
      Array.from({ length: 100 }, (_, i) => ({ ok: true, reply: `handler2-${i}` })),
    );
    // Wait for the late copies, then count what the server saw.
    await sim.run(() => sim.clock.sleep(100));
    expect(log.length).toBeGreaterThan(130);
    expect(log.length).toBeLessThan(170);
    expect(new Set(log).size).toBe(100);
  });

  it('delay spikes hold some hops back, reordering concurrent calls', async () => {
    const { sim, net, end } = oneLink(6);
    net.setFaults({ spikeRate: 0.3, spikeMs: [50, 200] });
    const client = serviceClient(end, junkService);
    const order: number[] = [];
    const t0 = sim.clock.now();
    await sim.run(() =>
      Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          client.call('Handler2', i).then((r) => {
            expect(r.ok).toBe(true);
            order.push(i);
          }),
        ),
      ),
    );
    expect(order).not.toEqual([...order].sort((a, b) => a - b));
    expect(sim.clock.now() - t0).toBeGreaterThan(50);
  });

  it('a one-way cut loses messages in one direction only', async () => {
    const sim = new Simulation({ seed: 7, printTrace: false });
    const net = new SimNetwork(sim);
    const a = makeJunkServer(sim);
    const b = makeJunkServer(sim);
    net.addServer('a', a.server);
    net.addServer('b', b.server);
    const ab = serviceClient(net.makeEnd('a->b', 'a'), junkService);
    const ba = serviceClient(net.makeEnd('b->a', 'b'), junkService);
    net.connect('a->b', 'b');
    net.connect('b->a', 'a');
    net.enable('a->b', true);
    net.enable('b->a', true);
    net.cut('a', 'b', true);
    // a's requests to b are lost; b's requests reach a, but a's replies to b are lost.
    expect(await sim.run(() => ab.call('Handler2', 1))).toEqual({ ok: false, reason: 'lost' });
    expect(b.log).toEqual([]);
    expect(await sim.run(() => ba.call('Handler2', 2))).toEqual({ ok: false, reason: 'lost' });
    expect(a.log).toEqual([2]);
    expect(net.isCut('a', 'b')).toBe(true);
    expect(net.isCut('b', 'a')).toBe(false);
    net.cut('a', 'b', false);
    net.cut('b', 'a', true);
    expect(await sim.run(() => ab.call('Handler2', 3))).toEqual({ ok: false, reason: 'lost' });
    expect(b.log).toEqual([3]);
    net.healCuts();
    expect(await sim.run(() => ab.call('Handler2', 4))).toEqual({ ok: true, reply: 'handler2-4' });
  });

  it('a call to a server whose handler never answers (a killed peer) resolves as lost after a delay', async () => {
    const sim = new Simulation({ seed: 8, printTrace: false });
    const net = new SimNetwork(sim, { handlerTimeoutMs: 3000 });
    const server = new RpcServer();
    server.addService(junkService, {
      Handler1: () => new Promise<number>(() => {}),
      Handler2: (n) => `handler2-${n}`,
      Handler4: (x) => x,
      Slow: (n) => n,
      Echo: (s) => s,
    });
    net.addServer('s', server);
    const end = net.makeEnd('e');
    net.connect('e', 's');
    net.enable('e', true);
    const client = serviceClient(end, junkService);
    const t0 = sim.clock.now();
    expect(await sim.run(() => client.call('Handler1', 'x'))).toEqual({
      ok: false,
      reason: 'lost',
    });
    expect(sim.clock.now() - t0).toBeGreaterThanOrEqual(3000);
    expect(sim.clock.now() - t0).toBeLessThan(3010);
  });

  it('a slow handler that answers before the limit is not cut short', async () => {
    const { sim, end } = oneLink(9);
    const client = serviceClient(end, junkService);
    expect(await sim.run(() => client.call('Slow', 9000))).toEqual({ ok: true, reply: 9000 });
  });
});

describe('trace hash', () => {
  it('covers the schedule only: tracing deliveries and printing do not change it', async () => {
    const run = async (traceDeliveries: boolean) => {
      const sim = new Simulation({ seed: 11, printTrace: false });
      const net = new SimNetwork(sim, { traceDeliveries });
      net.setReliable(false);
      net.addServer('s', makeJunkServer(sim).server);
      const end = net.makeEnd('e');
      net.connect('e', 's');
      net.enable('e', true);
      const client = serviceClient(end, junkService);
      await sim.run(async () => {
        for (let i = 0; i < 50; i++) await client.call('Handler2', i);
      });
      return { hash: sim.traceHash(), records: sim.traceSize() };
    };
    const quiet = await run(false);
    const loud = await run(true);
    expect(loud.records).toBeGreaterThan(quiet.records);
    expect(loud.hash).toBe(quiet.hash);
  });
});

describe('delivered bytes', () => {
  it('count what reached a live handler and came back, not what was lost', async () => {
    const { sim, net, end } = oneLink(12);
    const client = serviceClient(end, junkService);
    await sim.run(() => client.call('Handler2', 1));
    const both = net.deliveredBytes();
    expect(both).toBe(net.totalBytes());
    net.enable('e', false);
    await sim.run(() => client.call('Handler2', 2));
    expect(net.deliveredBytes()).toBe(both);
    expect(net.totalBytes()).toBeGreaterThan(both);
  });
});
