import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameType } from '../src/frame.js';
import { FrameDecoder } from '../src/frame-decoder.js';

const seed = Number(process.env.SEED ?? Date.now() % 2 ** 31);

function collect(max = 1 << 20) {
  const frames: [number, number, string][] = [];
  const decoder = new FrameDecoder(max, (type, id, payload) => {
    frames.push([type, id, payload.toString('hex')]);
    return true;
  });
  return { frames, decoder };
}

describe('FrameDecoder', () => {
  it(`reassembles frames however the stream is split (fast-check seed=${seed})`, () => {
    console.log(`frame-decoder property: SEED=${seed}`);
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: 0, max: 255 }), fc.nat(), fc.uint8Array({ maxLength: 300 })),
          { maxLength: 20 },
        ),
        fc.array(fc.nat({ max: 400 }), { maxLength: 30 }),
        (specs, cuts) => {
          const bytes = Buffer.concat(
            specs.map(([t, id, p]) => encodeFrame(t as FrameType, id, p)),
          );
          const { frames, decoder } = collect();
          let at = 0;
          for (const cut of cuts) {
            const to = Math.min(bytes.length, at + cut);
            expect(decoder.push(bytes.subarray(at, to))).toBeUndefined();
            at = to;
          }
          expect(decoder.push(bytes.subarray(at))).toBeUndefined();
          expect(frames).toEqual(
            specs.map(([t, id, p]) => [t, id, Buffer.from(p).toString('hex')]),
          );
          expect(decoder.buffered).toBe(0);
        },
      ),
      { seed, numRuns: 300 },
    );
  });

  it('refuses an oversized length from the prefix alone, before buffering the body', () => {
    const { decoder, frames } = collect(1024);
    const prefix = Buffer.alloc(4);
    prefix.writeUInt32BE(0xffff_ffff);
    // Split the prefix itself over two chunks.
    expect(decoder.push(prefix.subarray(0, 2))).toBeUndefined();
    expect(decoder.push(prefix.subarray(2))).toEqual({
      kind: 'oversized',
      length: 0xffff_ffff,
      limit: 1024,
    });
    expect(decoder.buffered).toBe(0);
    expect(decoder.peakBuffered).toBeLessThan(8);
    expect(frames).toEqual([]);
  });

  it('refuses a length too short to hold the type and id', () => {
    const { decoder } = collect();
    expect(decoder.push(Buffer.from([0, 0, 0, 2, 1, 1]))).toEqual({ kind: 'malformed', length: 2 });
    // Once refused, the stream stays refused.
    expect(decoder.push(encodeFrame(FrameType.Request, 1, Buffer.alloc(1)))).toEqual({
      kind: 'malformed',
      length: 2,
    });
  });

  it('a large frame arriving in many chunks is joined once', () => {
    const { decoder, frames } = collect(1 << 22);
    const frame = encodeFrame(FrameType.Reply, 9, Buffer.alloc(1 << 21, 7));
    for (let at = 0; at < frame.length; at += 65536) decoder.push(frame.subarray(at, at + 65536));
    expect(frames).toHaveLength(1);
    expect(decoder.peakBuffered).toBeLessThanOrEqual(frame.length);
  });
});
