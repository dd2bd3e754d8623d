import { describe, expect, it } from 'vitest';
import { SimNetwork, Simulation, UnknownEndError } from '../src/index.js';
import { RpcServer, serviceClient } from '@raftkit/core';
import { junkService, makeJunkServer, oneLink } from './helpers.js';

describe('SimNetwork: the lab labrpc tests', () => {
  it('Basic: a call reaches its handler and the reply comes back', async () => {
    const { sim, end } = oneLink();
    const client = serviceClient(end, junkService);
    const r1 = await sim.run(() => client.call('Handler2', 111));
    expect(r1).toEqual({ ok: true, reply: 'handler2-111' });
    const r2 = await sim.run(() => client.call('Handler1', '9099'));
    expect(r2).toEqual({ ok: true, reply: 9099 });
  });

  it('Types: object arguments arrive as copies', async () => {
    const { sim, end } = oneLink();
    const args = { x: 'a' };
    const r = await sim.run(() => serviceClient(end, junkService).call('Handler4', args));
    expect(r).toEqual({ ok: true, reply: { x: 'pointer-a' } });
    expect(args).toEqual({ x: 'a' });
  });

  it('Disconnect: a call on a disabled end is lost; after enable it works', async () => {
    const { sim, net, end, log } = oneLink();
    net.enable('e', false);
    const client = serviceClient(end, junkService);
    const t0 = sim.clock.now();
    const lost = await sim.run(() => client.call('Handler2', 111));
    expect(lost).toEqual({ ok: false, reason: 'lost' });
    expect(sim.clock.now() - t0).toBeLessThan(100);
    expect(log).toEqual([]);
    net.enable('e', true);
    expect(await sim.run(() => client.call('Handler1', '9099'))).toEqual({ ok: true, reply: 9099 });
  });

  it('Counts: the server count is exactly the number of dispatched calls', async () => {
    const { sim, net, end } = oneLink();
    const client = serviceClient(end, junkService);
    await sim.run(async () => {
      for (let i = 0; i < 17; i++)
        expect(await client.call('Handler2', i)).toEqual({ ok: true, reply: `handler2-${i}` });
    });
    expect(net.serverRpcCount('s')).toBe(17);
    expect(net.totalRpcCount()).toBe(17);
  });

  it('Bytes: argument and reply bytes are counted within the lab windows', async () => {
    const { sim, net, end } = oneLink();
    const client = serviceClient(end, junkService);
    const arg = 'x'.repeat(284);
    await sim.run(async () => {
      for (let i = 0; i < 17; i++)
        await client.call('Handler1', `${i}${arg.slice(String(i).length)}`);
    });
    const phase1 = net.totalBytes();
    expect(phase1).toBeGreaterThanOrEqual(4828);
    expect(phase1).toBeLessThanOrEqual(6000);
    const reply = 'y'.repeat(107);
    const server = new RpcServer();
    server.addService(junkService, {
      Handler1: () => 0,
      Handler2: () => reply,
      Handler4: (a) => a,
      Slow: (a) => a,
      Echo: (s) => s,
    });
    net.addServer('s', server);
    await sim.run(async () => {
      for (let i = 0; i < 17; i++) await client.call('Handler2', i);
    });
    const delta = net.totalBytes() - phase1;
    expect(delta).toBeGreaterThanOrEqual(1800);
    expect(delta).toBeLessThanOrEqual(2500);
  });

  it('ConcurrentMany: 20 ends × 10 calls all succeed', async () => {
    const sim = new Simulation({ seed: 7, printTrace: false });
    const net = new SimNetwork(sim);
    const { server } = makeJunkServer(sim);
    net.addServer('s', server);
    const results = await sim.run(() =>
      Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const end = net.makeEnd(`end-${i}`);
          net.connect(`end-${i}`, 's');
          net.enable(`end-${i}`, true);
          const client = serviceClient(end, junkService);
          let ok = 0;
          for (let j = 0; j < 10; j++) if ((await client.call('Handler2', 100 * i + j)).ok) ok++;
          return ok;
        }),
      ),
    );
    expect(results.reduce((a, b) => a + b, 0)).toBe(200);
    expect(net.serverRpcCount('s')).toBe(200);
  });

  it('Unreliable: of 300 calls some succeed and some fail', async () => {
    const sim = new Simulation({ seed: 3, printTrace: false });
    const net = new SimNetwork(sim);
    const { server } = makeJunkServer(sim);
    net.addServer('s', server);
    net.setReliable(false);
    const oks = await sim.run(() =>
      Promise.all(
        Array.from({ length: 300 }, async (_, i) => {
          const end = net.makeEnd(`end-${i}`);
          net.connect(`end-${i}`, 's');
          net.enable(`end-${i}`, true);
          return (await serviceClient(end, junkService).call('Handler2', i)).ok;
        }),
      ),
    );
    const n = oks.filter(Boolean).length;
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(300);
  });

  it('ConcurrentOne: 20 concurrent calls on one end all run once', async () => {
    const { sim, net, end, log } = oneLink();
    const client = serviceClient(end, junkService);
    const replies = await sim.run(() =>
      Promise.all(Array.from({ length: 20 }, (_, i) => client.call('Handler2', 100 + i))),
    );
    expect(replies.every((r) => r.ok)).toBe(true);
    expect(log).toHaveLength(20);
    expect(net.serverRpcCount('s')).toBe(20);
  });

  it('Regression1: calls made while disabled never run; a later call is fast', async () => {
    const { sim, net, end, log } = oneLink();
    net.enable('e', false);
    const client = serviceClient(end, junkService);
    await sim.run(async () => {
      const early = Array.from({ length: 20 }, (_, i) => client.call('Handler2', i));
      await sim.clock.sleep(100);
      net.enable('e', true);
      const t0 = sim.clock.now();
      expect(await client.call('Handler2', 99)).toEqual({ ok: true, reply: 'handler2-99' });
      expect(sim.clock.now() - t0).toBeLessThanOrEqual(30);
      await Promise.all(early);
    });
    expect(log).toEqual([99]);
    expect(net.serverRpcCount('s')).toBe(1);
  });

  it('Killed: a call to a deleted server returns lost promptly, not after its handler', async () => {
    const { sim, net, end } = oneLink();
    const client = serviceClient(end, junkService);
    await sim.run(async () => {
      let settled = false;
      const call = client.call('Slow', 20_000).then((r) => {
        settled = true;
        return r;
      });
      await sim.clock.sleep(1100);
      expect(settled).toBe(false);
      const t0 = sim.clock.now();
      net.deleteServer('s');
      expect(await call).toEqual({ ok: false, reason: 'lost' });
      expect(sim.clock.now() - t0).toBeLessThanOrEqual(100);
    });
  });
});

describe('SimNetwork: more semantics', () => {
  it('an in-flight call to a crashed server never reaches its replacement', async () => {
    const { sim, net, end, log } = oneLink();
    const client = serviceClient(end, junkService);
    const replacement = makeJunkServer(sim);
    await sim.run(async () => {
      const call = client.call('Slow', 500);
      await sim.clock.sleep(10);
      net.addServer('s', replacement.server);
      expect(await call).toEqual({ ok: false, reason: 'lost' });
      await sim.clock.sleep(1000);
    });
    expect(log).toEqual([500]); // the old server's handler ran (a zombie), the new one never saw it
    expect(replacement.log).toEqual([]);
  });

  it('a reply from a server disabled mid-call is never delivered, though the handler ran', async () => {
    const { sim, net, end, log } = oneLink();
    const client = serviceClient(end, junkService);
    await sim.run(async () => {
      const call = client.call('Slow', 300);
      await sim.clock.sleep(50);
      net.enable('e', false);
      expect(await call).toEqual({ ok: false, reason: 'lost' });
      await sim.clock.sleep(500);
    });
    expect(log).toEqual([300]);
  });

  it('long delays: a lost call on a disabled end takes up to 7 s', async () => {
    const sim = new Simulation({ seed: 11, printTrace: false });
    const net = new SimNetwork(sim);
    net.setLongDelays(true);
    const delays = await sim.run(() =>
      Promise.all(
        Array.from({ length: 200 }, async (_, i) => {
          const end = net.makeEnd(`e${i}`);
          const t0 = sim.clock.now();
          await end.call('Junk.Echo', 'x');
          return sim.clock.now() - t0;
        }),
      ),
    );
    expect(Math.max(...delays)).toBeGreaterThan(3000);
    expect(Math.max(...delays)).toBeLessThan(7000);
    net.setLongDelays(false);
    const short = await sim.run(async () => {
      const t0 = sim.clock.now();
      await net.makeEnd('late').call('Junk.Echo', 'x');
      return sim.clock.now() - t0;
    });
    expect(short).toBeLessThan(100);
  });

  it('long reordering: many replies arrive 200–2200 ms late and out of order', async () => {
    const { sim, net, end } = oneLink(5);
    net.setLongReordering(true);
    const client = serviceClient(end, junkService);
    const order: number[] = [];
    const latencies = await sim.run(() =>
      Promise.all(
        Array.from({ length: 90 }, async (_, i) => {
          const t0 = sim.clock.now();
          const r = await client.call('Handler2', i);
          expect(r.ok).toBe(true);
          order.push(i);
          return sim.clock.now() - t0;
        }),
      ),
    );
    const late = latencies.filter((d) => d >= 200).length;
    expect(late).toBeGreaterThan(40); // expected 60 of 90
    expect(late).toBeLessThan(80);
    expect(Math.max(...latencies)).toBeLessThan(2205);
    expect(order).not.toEqual([...order].sort((a, b) => a - b));
  });

  it('every message takes a small positive latency', async () => {
    const { sim, end } = oneLink();
    const client = serviceClient(end, junkService);
    const t0 = sim.clock.now();
    await sim.run(() => client.call('Echo', 'hi'));
    const rtt = sim.clock.now() - t0;
    expect(rtt).toBeGreaterThanOrEqual(0.4);
    expect(rtt).toBeLessThanOrEqual(4);
  });

  it('cleanup: in-flight and later calls resolve as closed at once', async () => {
    const { sim, net, end } = oneLink();
    const client = serviceClient(end, junkService);
    await sim.run(async () => {
      const call = client.call('Slow', 1000);
      await sim.clock.sleep(5);
      net.cleanup();
      expect(await call).toEqual({ ok: false, reason: 'closed' });
      expect(await client.call('Echo', 'x')).toEqual({ ok: false, reason: 'closed' });
    });
  });

  it('control calls on unknown ends throw a typed error; duplicate end names are rejected', () => {
    const { net } = oneLink();
    expect(() => net.enable('nope', true)).toThrow(UnknownEndError);
    expect(() => net.connect('nope', 's')).toThrow(/makeEnd/);
    expect(() => net.makeEnd('e')).toThrow(/already exists/);
    net.deleteEnd('e');
    expect(() => net.deleteEnd('e')).toThrow(UnknownEndError);
  });

  it('a call to an unknown method fails the simulation with a clear error', async () => {
    const { sim, end } = oneLink();
    await expect(sim.run(() => end.call('Junk.Nope', 1))).rejects.toThrow(
      /no handler for RPC "Junk.Nope"/,
    );
  });
});

describe('SimNetwork tracing', () => {
  it('traces every fault (and deliveries when asked), so a failure dump shows what the network did', async () => {
    const sim = new Simulation({ seed: 21, printTrace: false });
    const net = new SimNetwork(sim, { traceDeliveries: true });
    const { server } = makeJunkServer(sim);
    net.addServer('s', server);
    net.setReliable(false);
    net.setLongReordering(true);
    const end = net.makeEnd('e');
    net.connect('e', 's');
    net.enable('e', true);
    net.makeEnd('off');
    const client = serviceClient(end, junkService);
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    await sim.run(async () => {
      await Promise.all(Array.from({ length: 100 }, (_, i) => client.call('Handler2', i)));
      await net.makeEnd('x').call('Junk.Echo', 'to nowhere');
    });
    const path = sim.dumpTrace(join(mkdtempSync(join(tmpdir(), 'raftkit-')), 't.jsonl'));
    const events = new Set(
      readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => JSON.parse(l).ev),
    );
    for (const ev of [
      'request',
      'reply',
      'drop-request',
      'drop-reply',
      'hold-reply',
      'unreachable',
    ]) {
      expect(events).toContain(ev);
    }
  });
});
