import { describe, expect, it } from 'vitest';
import { seededRng } from './helpers.js';
import { genericTest, onePartition, type ScenarioResult } from './support/kv-scenarios.js';

/**
 * Proof that transports swap: kv lab scenarios with every KvServer (and its
 * Raft peer) and every Clerk on loopback TCP, in real time. The seed drives
 * the fault layer, client choices and Raft's timeouts, but real time and the
 * OS scheduler are not reproducible: the seed is printed for the record.
 */
const seed = Number(process.env.SEED ?? Date.now() % 2 ** 31);

function report(name: string, r: ScenarioResult): void {
  console.log(
    `${name} over TCP: ${r.seconds.toFixed(1)} s, 5 peers, ${r.calls} calls, ${r.bytes} bytes, ` +
      `${r.ops} ops, ${r.reconnects} reconnects, linearizability ${r.verdict} (SEED=${seed})`,
  );
}

describe('kv lab scenarios over real TCP', () => {
  it('Basic: one client', async () => {
    const r = await genericTest({
      nclients: 1,
      unreliable: false,
      crash: false,
      iterations: 2,
      clientMs: 1500,
      rng: seededRng(seed, 'basic'),
    });
    report('Basic', r);
    expect(r.verdict).toBe('ok');
    expect(r.ops).toBeGreaterThan(10);
  });

  it('Concurrent: five clients', async () => {
    const r = await genericTest({
      nclients: 5,
      unreliable: false,
      crash: false,
      iterations: 2,
      clientMs: 1500,
      rng: seededRng(seed + 1, 'concurrent'),
    });
    report('Concurrent', r);
    expect(r.verdict).toBe('ok');
  });

  it('Unreliable: five clients, 10 % of requests and replies dropped, delays', async () => {
    const r = await genericTest({
      nclients: 5,
      unreliable: true,
      crash: false,
      iterations: 2,
      clientMs: 1500,
      rng: seededRng(seed + 2, 'unreliable'),
    });
    report('Unreliable', r);
    expect(r.verdict).toBe('ok');
  });

  it('OnePartition: progress in the majority, none in the minority, completion after heal', async () => {
    const r = await onePartition(seededRng(seed + 3, 'one-partition'));
    report('OnePartition', r);
    expect(r.verdict).toBe('ok');
  });

  it('PersistConcurrent: five clients, every server crashes and restarts each iteration', async () => {
    const r = await genericTest({
      nclients: 5,
      unreliable: false,
      crash: true,
      iterations: 2,
      clientMs: 1500,
      rng: seededRng(seed + 4, 'persist'),
    });
    report('PersistConcurrent', r);
    expect(r.verdict).toBe('ok');
    expect(r.reconnects).toBeGreaterThan(0);
  });
});
