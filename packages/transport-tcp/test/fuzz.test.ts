import { msgpackCodec } from '@raftkit/codec';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFrame, FrameType, HEADER_BYTES } from '../src/frame.js';
import { defineService, type Logger, RpcServer } from '@raftkit/core';
import { createTcpTransport, type TcpTransport } from '../src/index.js';
import { seededRng } from './helpers.js';
import { RawClient } from './support/raw-client.js';

/**
 * A live server under ≥ 100,000 random and mutated frames, sent in batches
 * (one connection per batch, written at once). Two kinds of batch:
 *  - payload batches: well-framed REQUESTs with fuzzed payloads (valid calls,
 *    unknown methods, failing handlers, random and mutated msgpack). The
 *    connection must stay open and every frame must be answered (REPLY or
 *    ERROR), the final sentinel call with its correct reply;
 *  - framing batches: a well-framed prefix, then one framing fault (oversized
 *    or short length, unknown or out-of-place type, a truncated stream, or
 *    garbage before/instead of the handshake). The server must close that
 *    connection.
 * Afterwards: no crash, the decoder never held more than one frame's bound,
 * no connection left behind, and correct calls are still answered.
 */

const seed = Number(process.env.SEED ?? Date.now() % 2 ** 31);
const MAX_FRAME = 64 * 1024;
const SENTINEL_ID = 0xffff_ffff;
const TARGET_FRAMES = 100_000;

const methodArb = fc.constantFrom(
  'Fuzz.Echo',
  'Fuzz.Echo',
  'Fuzz.Echo',
  'Fuzz.Fail',
  'Fuzz.Nope',
  '',
  '__proto__',
  'constructor',
  'Fuzz.Echo.extra',
);
const argsArb = fc.oneof(
  fc.record({ n: fc.integer(), pad: fc.string({ maxLength: 40 }) }),
  fc.record({ message: fc.string({ maxLength: 20 }) }),
  fc.anything({ maxDepth: 2, maxKeys: 4 }),
);
const validPayload = fc.tuple(methodArb, argsArb).map(([m, a]) => {
  try {
    return msgpackCodec.encode([m, a]);
  } catch {
    return msgpackCodec.encode([m, null]);
  }
});
/** Byte flips, truncation and extension of a valid payload. */
const mutatedPayload = fc
  .tuple(
    validPayload,
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
    fc.nat(64),
    fc.uint8Array({ maxLength: 8 }),
  )
  .map(([bytes, flips, cut, tail]) => {
    const out = Buffer.from(bytes);
    for (const [at, value] of flips) if (out.length > 0) out[at % out.length] = value;
    return Buffer.concat([out.subarray(0, Math.max(0, out.length - cut)), tail]);
  });
/** Random bytes, and msgpack headers declaring huge sizes. */
const hostilePayload = fc.oneof(
  fc.uint8Array({ maxLength: 48 }),
  fc.constantFrom(
    Buffer.from('dbffffffff41', 'hex'),
    Buffer.from('ddffffffff', 'hex'),
    Buffer.from('dfffffffff', 'hex'),
    Buffer.from('c6ffffffff', 'hex'),
    Buffer.from('92a9467577 7a2e4563686fdd7fffffff'.replace(/ /g, ''), 'hex'),
  ),
);
const requestFrame = fc
  .tuple(
    fc.nat(2 ** 31 - 1),
    fc.oneof(
      { weight: 5, arbitrary: validPayload },
      { weight: 3, arbitrary: mutatedPayload },
      { weight: 2, arbitrary: hostilePayload },
    ),
  )
  .map(([id, payload]) => encodeFrame(FrameType.Request, id, payload));

/**
 * A payload batch: fast-check draws 20–60 template frames and a seed; the
 * batch is `size` frames, each a template with a fresh id and, one time in
 * three, 1–3 payload bytes overwritten (drawn from the seed). Generating
 * every frame with fast-check would cost ~30 µs each; this keeps the test's
 * wall time modest while every frame stays reproducible from the seed.
 */
function expandBatch(templates: readonly Buffer[], batchSeed: number, size: number): Buffer[] {
  const rng = seededRng(batchSeed);
  const out: Buffer[] = [];
  for (let i = 0; i < size; i++) {
    const frame = Buffer.from(templates[rng.int(0, templates.length - 1)]!);
    frame.writeUInt32BE(rng.int(0, 2 ** 31 - 1), 5);
    if (frame.length > HEADER_BYTES && rng.chance(1 / 3)) {
      for (let k = rng.int(1, 3); k > 0; k--)
        frame[rng.int(HEADER_BYTES, frame.length - 1)] = rng.int(0, 255);
    }
    out.push(frame);
  }
  return out;
}

type FuzzMethods = {
  Echo: { args: unknown; reply: unknown };
  Fail: { args: unknown; reply: never };
};
const fuzzService = defineService<FuzzMethods>()('Fuzz', ['Echo', 'Fail']);

function fuzzServer(): RpcServer {
  const server = new RpcServer();
  server.addService(fuzzService, {
    Echo: (args) => args,
    Fail: () => {
      throw new Error('handler failed on purpose');
    },
  });
  return server;
}

type Fault =
  | { kind: 'oversized'; length: number }
  | { kind: 'short'; length: number }
  | { kind: 'type'; type: number }
  | { kind: 'truncated'; keep: number }
  | { kind: 'garbage'; bytes: Uint8Array };
const faultArb: fc.Arbitrary<Fault> = fc.oneof(
  fc.record({
    kind: fc.constant('oversized' as const),
    length: fc.integer({ min: MAX_FRAME + 1, max: 0xffff_ffff }),
  }),
  fc.record({ kind: fc.constant('short' as const), length: fc.integer({ min: 0, max: 4 }) }),
  fc.record({
    kind: fc.constant('type' as const),
    type: fc.integer({ min: 0, max: 255 }).filter((t) => t !== FrameType.Request),
  }),
  fc.record({ kind: fc.constant('truncated' as const), keep: fc.integer({ min: 1, max: 40 }) }),
  fc.record({
    kind: fc.constant('garbage' as const),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }),
  }),
);

function faultBytes(fault: Fault): Buffer {
  switch (fault.kind) {
    case 'oversized': {
      const b = Buffer.alloc(9);
      b.writeUInt32BE(fault.length, 0);
      return b;
    }
    case 'short': {
      const b = Buffer.alloc(4 + fault.length);
      b.writeUInt32BE(fault.length, 0);
      return b;
    }
    case 'type':
      return encodeFrame(fault.type as FrameType, 1, msgpackCodec.encode({}));
    case 'truncated':
      // A frame announcing 100 payload bytes, cut short; the client then ends the stream.
      return encodeFrame(FrameType.Request, 1, Buffer.alloc(100, 1)).subarray(0, fault.keep);
    case 'garbage':
      return Buffer.from(fault.bytes);
  }
}

describe('fuzzing a live server', () => {
  let server: TcpTransport;
  let logLines = 0;
  const logger: Logger = {
    enabled: true,
    log: () => {
      logLines += 1;
    },
  };
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);

  beforeAll(async () => {
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    server = await createTcpTransport({
      clusterId: 'fuzz',
      nodeId: 'server',
      listen: { port: 0 },
      server: fuzzServer(),
      acceptFrom: ['fuzzer', 'client'],
      limits: { maxFrameBytes: MAX_FRAME },
      handshakeTimeoutMs: 2000,
      logger,
    });
  });

  afterAll(async () => {
    await server.close();
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  });

  it(`≥ ${TARGET_FRAMES} random and mutated frames: no crash, bounded memory, still serving (fast-check seed=${seed})`, async () => {
    console.log(`fuzz: SEED=${seed}`);
    const { port } = server.address();
    const heapBefore = process.memoryUsage().heapUsed;
    let framesSent = 0;
    let payloadBatches = 0;
    let framingBatches = 0;
    const started = performance.now();
    // A well-behaved peer keeps calling during the whole fuzz: it must be served throughout.
    const bystander = await createTcpTransport({
      clusterId: 'fuzz',
      nodeId: 'client',
      peers: { server: { host: '127.0.0.1', port } },
      callTimeoutMs: 30_000,
    });
    const bystanderResults = { ok: 0, lost: 0 };
    let fuzzing = true;
    const bystanderLoop = (async () => {
      for (let i = 0; fuzzing; i++) {
        const r = await bystander.end('server').call('Fuzz.Echo', { n: i });
        if (r.ok && (r.reply as { n: number }).n === i) bystanderResults.ok += 1;
        else bystanderResults.lost += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();

    const payloadBatch = fc
      .tuple(fc.array(requestFrame, { minLength: 20, maxLength: 60 }), fc.nat())
      .map(([templates, batchSeed]) => expandBatch(templates, batchSeed, 1000));
    await fc.assert(
      fc.asyncProperty(payloadBatch, fc.nat(), async (frames, n) => {
        const client = new RawClient(port, 'fuzz');
        try {
          await client.handshake();
          const sentinel = encodeFrame(
            FrameType.Request,
            SENTINEL_ID,
            msgpackCodec.encode(['Fuzz.Echo', { n }]),
          );
          client.write(Buffer.concat([...frames, sentinel]));
          framesSent += frames.length + 1;
          payloadBatches += 1;
          // Every frame is answered (REPLY or ERROR), and the connection stays open.
          const all = await client.waitFor(() => client.frames.length >= frames.length + 1);
          expect(all).toBe(true);
          expect(
            client.frames.every((f) => f.type === FrameType.Reply || f.type === FrameType.Error),
          ).toBe(true);
          const reply = client.frames.find((f) => f.id === SENTINEL_ID);
          expect(reply?.type).toBe(FrameType.Reply);
          expect(msgpackCodec.decode(reply!.payload)).toEqual({ n });
        } finally {
          client.destroy();
          await client.closed;
        }
      }),
      { seed, numRuns: 100, endOnFailure: true },
    );

    const payloadMs = performance.now() - started;
    const framingBatch = fc.tuple(
      fc.array(requestFrame, { maxLength: 30 }),
      faultArb,
      fc.boolean(),
    );
    await fc.assert(
      fc.asyncProperty(framingBatch, async ([prefix, fault, beforeHandshake]) => {
        const client = new RawClient(port, 'fuzz');
        try {
          if (!beforeHandshake) await client.handshake();
          const bytes = Buffer.concat([...(beforeHandshake ? [] : prefix), faultBytes(fault)]);
          // A truncated stream is cut by the client; garbage may itself be a valid or an
          // incomplete frame, so the client ends the stream after it too. Every other
          // fault must make the server close the connection by itself.
          const ends = fault.kind === 'truncated' || fault.kind === 'garbage';
          client.write(bytes, ends);
          framesSent += (beforeHandshake ? 0 : prefix.length) + 1;
          framingBatches += 1;
          await client.closed;
          expect(client.frames.length).toBeLessThanOrEqual(prefix.length + 1);
        } finally {
          client.destroy();
        }
      }),
      { seed: seed + 1, numRuns: 400, endOnFailure: true },
    );

    fuzzing = false;
    await bystanderLoop;
    await bystander.close();
    console.log(
      `fuzz: a well-behaved peer made ${bystanderResults.ok} calls meanwhile, ${bystanderResults.lost} lost`,
    );
    expect(bystanderResults.lost).toBe(0);
    expect(bystanderResults.ok).toBeGreaterThan(10);
    const totalMs = performance.now() - started;
    console.log(
      `fuzz: ${framesSent} frames in ${payloadBatches} payload batches (${payloadMs.toFixed(0)} ms) and ` +
        `${framingBatches} framing batches (${(totalMs - payloadMs).toFixed(0)} ms); ${logLines} log lines`,
    );
    expect(framesSent).toBeGreaterThanOrEqual(TARGET_FRAMES);
    expect(crashes).toEqual([]);

    const stats = server.stats();
    console.log('fuzz: server stats', JSON.stringify(stats));
    // Bounded: a decoder never held more than one maximal frame plus one read chunk.
    expect(stats.peakDecoderBytes).toBeLessThanOrEqual(MAX_FRAME + 4 + 65536);
    expect(stats.rejectedFrames).toBeGreaterThan(0);
    expect(stats.requestErrors).toBeGreaterThan(0);
    // Every fuzz connection (and the bystander's) is gone.
    await new Promise((r) => setTimeout(r, 50));
    expect(server.stats().inboundConnections).toBe(0);
    const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
    console.log(`fuzz: heap growth ${heapGrowthMb.toFixed(1)} MB`);
    expect(heapGrowthMb).toBeLessThan(256);

    // Still serving correct calls.
    const client = await createTcpTransport({
      clusterId: 'fuzz',
      nodeId: 'client',
      peers: { server: { host: '127.0.0.1', port } },
    });
    try {
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) => client.end('server').call('Fuzz.Echo', { n: i })),
      );
      results.forEach((r, i) => {
        expect(r).toEqual({ ok: true, reply: { n: i } });
      });
    } finally {
      await client.close();
    }
  });
});
