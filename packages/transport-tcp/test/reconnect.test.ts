import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../src/index.js';
import { echoServer, recordingLogger, seededRng, transport } from './helpers.js';

describe('reconnect back-off', () => {
  it('is capped exponential with equal jitter drawn from the injected rng', () => {
    const options = { baseMs: 50, maxMs: 1000 };
    const low = { ...seededRng(1), float: () => 0 };
    const high = { ...seededRng(1), float: () => 1 - 2 ** -53 };
    const caps = [50, 100, 200, 400, 800, 1000, 1000, 1000];
    caps.forEach((cap, i) => {
      expect(backoffDelay(i + 1, options, low)).toBe(cap / 2);
      expect(backoffDelay(i + 1, options, high)).toBeCloseTo(cap, 6);
    });
    const rng = seededRng(7);
    for (let f = 1; f < 100; f++) {
      const d = backoffDelay(f, options, rng);
      expect(d).toBeGreaterThanOrEqual(25);
      expect(d).toBeLessThanOrEqual(1000);
    }
  });

  it('reconnects lazily after the peer restarts on the same port', async () => {
    const logger = recordingLogger();
    const first = await transport({
      clusterId: 'c',
      nodeId: 'srv',
      listen: { port: 0 },
      server: echoServer(),
      acceptFrom: ['cli'],
    });
    const { port } = first.address();
    const client = await transport({
      clusterId: 'c',
      nodeId: 'cli',
      peers: { srv: { host: '127.0.0.1', port } },
      backoff: { baseMs: 20, maxMs: 200 },
      rng: seededRng(42),
      logger,
    });
    const end = client.end('srv');
    expect((await end.call('Test.Echo', { n: 1 })).ok).toBe(true);
    await first.close();
    // The peer is down. After the back-off a call tries to connect and is refused;
    // a call during the following back-off is lost at once.
    await new Promise((r) => setTimeout(r, 250));
    expect((await end.call('Test.Echo', { n: 2 })).ok).toBe(false);
    expect(client.stats().connectFailures).toBe(1);
    expect((await end.call('Test.Echo', { n: 2 })).ok).toBe(false);
    expect(client.stats().unreachableDrops).toBe(1);
    expect(client.stats().outboundConnections).toBe(0);
    const second = await transport({
      clusterId: 'c',
      nodeId: 'srv',
      listen: { port },
      server: echoServer(),
      acceptFrom: ['cli'],
    });
    let answered = false;
    const start = performance.now();
    while (!answered && performance.now() - start < 3000) {
      answered = (await end.call('Test.Echo', { n: 3 })).ok;
      if (!answered) await new Promise((r) => setTimeout(r, 10));
    }
    expect(answered).toBe(true);
    const s = client.stats();
    expect(s.reconnects).toBeGreaterThanOrEqual(1);
    expect(s.connectFailures).toBeGreaterThanOrEqual(1);
    expect(s.outboundConnections).toBe(1);
    expect(second.stats().requestsServed).toBeGreaterThanOrEqual(1);
    const events = logger.records.map((r) => r.ev);
    expect(events.filter((e) => e === 'connected').length).toBe(2);
    expect(events).toContain('disconnected');
  });
});
