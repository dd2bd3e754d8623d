import { RpcServer } from '@raftkit/core';
import { isWellFormed } from '@raftkit/kv-protocol';
import { KvServer } from '@raftkit/kvserver';
import { SimNetwork, Simulation } from '@raftkit/labrpc';
import { MemoryPersister } from '@raftkit/persister';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { Clerk } from '../src/index.js';

// No value is ever changed: every key and value a clerk accepts (bytes, or a well-formed
// string) reads back byte-for-byte from a real replicated group; every string that cannot
// round-trip through UTF-8 (an unpaired surrogate) is refused before anything is sent.

const seed = Number(process.env.SEED ?? 4242);

function group(simSeed: number) {
  const sim = new Simulation({ seed: simSeed, printTrace: false });
  const net = new SimNetwork(sim);
  const link = (from: string, to: number) => {
    const name = `${from}->${to}`;
    const end = net.makeEnd(name);
    net.connect(name, `s${to}`);
    net.enable(name, true);
    return end;
  };
  const servers: KvServer[] = [];
  for (let i = 0; i < 3; i++) {
    const kv = new KvServer({
      peers: [0, 1, 2].map((j) => link(`s${i}`, j)),
      me: i,
      persister: new MemoryPersister(),
      maxRaftState: 4000,
      clock: sim.clock,
      rng: sim.rng.fork(`kv-${i}`),
    });
    const rpc = new RpcServer();
    kv.register(rpc);
    net.addServer(`s${i}`, rpc);
    servers.push(kv);
  }
  const ck = new Clerk(
    [0, 1, 2].map((j) => link('ck', j)),
    { clock: sim.clock, rng: sim.rng.fork('ck') },
  );
  const stop = () => {
    for (const s of servers) s.kill();
  };
  return { sim, ck, stop };
}

const bytes = fc.uint8Array({ minLength: 1, maxLength: 40 });
/** Strings of any code points, and strings of raw UTF-16 code units (lone surrogates among them). */
const codeUnit = fc
  .oneof(fc.integer({ min: 0, max: 0x7f }), fc.integer({ min: 0xd7f0, max: 0xe010 }))
  .map((c) => String.fromCharCode(c));
const text = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
  fc.string({ unit: codeUnit, minLength: 1, maxLength: 12 }),
);
const keyOrValue = fc.oneof(bytes, text);

it('every accepted key and value reads back byte-for-byte; strings that cannot are refused (seeded)', async () => {
  console.log(`fast-check seed=${seed}`);
  const { sim, ck, stop } = group(seed);
  let accepted = 0;
  let refused = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(keyOrValue, keyOrValue), { minLength: 1, maxLength: 8 }),
      async (pairs) => {
        return sim.run(async () => {
          for (const [key, value] of pairs) {
            const ok = [key, value].every((x) => typeof x !== 'string' || isWellFormed(x));
            const put = await ck.put(key, value).then(
              () => true,
              (e: Error) => e,
            );
            if (!ok) {
              expect(put).toBeInstanceOf(Error);
              expect((put as Error).message).toMatch(/unpaired surrogate/);
              refused += 1;
              continue;
            }
            expect(put).toBe(true);
            accepted += 1;
            const want = (x: string | Uint8Array) =>
              typeof x === 'string' ? new TextEncoder().encode(x) : x;
            const r = await ck.range(key);
            expect(r.kvs).toHaveLength(1);
            expect([...r.kvs[0]!.key]).toEqual([...want(key)]);
            expect([...r.kvs[0]!.value]).toEqual([...want(value)]);
            if (typeof value === 'string' && typeof key === 'string')
              expect(await ck.get(key)).toBe(value);
          }
          return true;
        });
      },
    ),
    { seed, numRuns: 60 },
  );
  stop();
  console.log(`accepted ${accepted} pairs, refused ${refused}`);
  expect(accepted).toBeGreaterThan(50);
  expect(refused).toBeGreaterThan(5);
}, 120_000);

it('the issue examples: a slice through an emoji and two lone surrogates are refused, not merged', async () => {
  const { sim, ck, stop } = group(seed);
  await sim.run(async () => {
    await expect(ck.put('v', '😀 ok'.slice(1))).rejects.toThrow(/unpaired surrogate/);
    await expect(ck.put('key\ud800', 'one')).rejects.toThrow(/unpaired surrogate/);
    await expect(ck.put('key\udbff', 'two')).rejects.toThrow(/unpaired surrogate/);
    await ck.put('😀', '😀 ok');
    expect(await ck.get('😀')).toBe('😀 ok');
    await ck.put(new Uint8Array([0xff, 0xfe]), new Uint8Array([0xed, 0xa0, 0x80]));
    const r = await ck.range(new Uint8Array([0xff, 0xfe]));
    expect([...r.kvs[0]!.value]).toEqual([0xed, 0xa0, 0x80]);
    // Bytes that are not UTF-8 are not turned into text by a string get.
    await expect(ck.get(new Uint8Array([0xff, 0xfe]))).rejects.toThrow(/not UTF-8/);
  });
  stop();
});
