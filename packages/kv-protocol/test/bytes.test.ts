import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  byteLength,
  compareBytes,
  decodeUtf8,
  isWellFormed,
  prefixRangeEnd,
  toBytes,
  utf8Length,
} from '../src/index.js';

const seed = Number(process.env.SEED ?? 42);

describe('strings that cannot round-trip are told apart', () => {
  it('the issue examples: a slice through an emoji, lone surrogates', () => {
    expect(isWellFormed('😀 ok')).toBe(true);
    expect(isWellFormed('😀 ok'.slice(1))).toBe(false);
    expect(isWellFormed('key\ud800')).toBe(false);
    expect(isWellFormed('key\udbff')).toBe(false);
    expect(isWellFormed('\udc00\ud800')).toBe(false);
  });

  it('the fallback scan agrees with String.prototype.isWellFormed (property, seeded)', () => {
    console.log(`fast-check seed=${seed}`);
    const proto = String.prototype as unknown as { isWellFormed?: () => boolean };
    const native = proto.isWellFormed!;
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        const expected = native.call(s);
        proto.isWellFormed = undefined;
        try {
          return isWellFormed(s) === expected;
        } finally {
          proto.isWellFormed = native;
        }
      }),
      { seed, numRuns: 2000 },
    );
  });

  it('utf8Length and toBytes agree with TextEncoder; decodeUtf8 inverts them (property, seeded)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (s) => {
        const bytes = new TextEncoder().encode(s);
        return (
          utf8Length(s) === bytes.length &&
          byteLength(s) === bytes.length &&
          compareBytes(toBytes(s), bytes) === 0 &&
          decodeUtf8(bytes) === s
        );
      }),
      { seed, numRuns: 1000 },
    );
  });

  it('decodeUtf8 refuses bytes that are not UTF-8 instead of replacing them', () => {
    expect(decodeUtf8(new Uint8Array([0xff]))).toBeUndefined();
    expect(decodeUtf8(new Uint8Array([0xed, 0xa0, 0x80]))).toBeUndefined(); // an encoded surrogate
  });
});

describe('key ranges', () => {
  it('prefixRangeEnd increments the last byte below 0xff', () => {
    expect([...prefixRangeEnd('conf/')]).toEqual([...toBytes('conf0')]);
    expect([...prefixRangeEnd(new Uint8Array([1, 0xff, 0xff]))]).toEqual([2]);
    expect([...prefixRangeEnd(new Uint8Array([0xff]))]).toEqual([0]);
  });
});
