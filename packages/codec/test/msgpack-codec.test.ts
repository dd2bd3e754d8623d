import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMsgpackCodec, msgpackCodec } from '../src/index.js';

describe('msgpack codec', () => {
  it('round-trips plain values into fresh objects', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        // msgpackr renames a "__proto__" key (a prototype-pollution guard); see the next test.
        fc.pre(!JSON.stringify(value).includes('"__proto__"'));
        const copy = msgpackCodec.decode(msgpackCodec.encode(value));
        // JSON semantics: -0 arrives as 0, as it would through JSON.
        expect(copy).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('never lets a decoded "__proto__" key reach an object prototype', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}');
    const copy = msgpackCodec.decode(msgpackCodec.encode(hostile)) as Record<string, unknown>;
    expect(copy.ok).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
  });

  it('keeps safe integers exact and copies binary data', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const value = { big: Number.MAX_SAFE_INTEGER, neg: -123456789012, bytes };
    const encoded = msgpackCodec.encode(value);
    const copy = msgpackCodec.decode(encoded) as typeof value;
    expect(copy.big).toBe(Number.MAX_SAFE_INTEGER);
    expect(copy.neg).toBe(-123456789012);
    expect([...copy.bytes]).toEqual([1, 2, 3]);
    encoded.fill(0);
    expect([...copy.bytes]).toEqual([1, 2, 3]);
  });

  it('a fresh codec decodes what another encoded (plain mode survives restarts)', () => {
    const a = createMsgpackCodec();
    const b = createMsgpackCodec();
    const msgs = Array.from({ length: 5 }, (_, i) => ({
      term: i,
      entries: [{ term: i, command: `c${i}` }],
    }));
    for (const m of msgs) expect(b.decode(a.encode(m))).toEqual(m);
  });
});
