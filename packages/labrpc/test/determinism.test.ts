import { describe, expect, it } from 'vitest';
import { SimNetwork, Simulation } from '../src/index.js';
import { serviceClient } from '@raftkit/core';
import { junkService, makeJunkServer } from './helpers.js';

/** A busy scenario: 10 clients, unreliable, reordering, a server restart; every outcome traced. */
async function scenario(seed: number): Promise<string> {
  const sim = new Simulation({ seed, printTrace: false });
  const net = new SimNetwork(sim);
  net.setReliable(false);
  net.setLongReordering(true);
  net.addServer('s', makeJunkServer(sim).server);
  const rng = sim.rng.fork('clients');
  await sim.run(async () => {
    await Promise.all(
      Array.from({ length: 10 }, async (_, c) => {
        const end = net.makeEnd(`c${c}`);
        net.connect(`c${c}`, 's');
        net.enable(`c${c}`, true);
        const client = serviceClient(end, junkService);
        for (let i = 0; i < 30; i++) {
          const r = await client.call('Handler2', c * 100 + i);
          sim.trace(`c${c}`, r.ok ? 'reply' : 'lost', { i, reply: r.ok ? r.reply : null });
          await sim.clock.sleep(rng.int(0, 20));
          if (c === 0 && i === 15) net.addServer('s', makeJunkServer(sim).server);
        }
      }),
    );
  });
  return sim.traceHash();
}

describe('determinism', () => {
  it('the same seed gives the identical trace; another seed a different one', async () => {
    const a = await scenario(1234);
    const b = await scenario(1234);
    const c = await scenario(1235);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });
});
