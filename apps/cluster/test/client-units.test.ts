import { describe, expect, test } from 'vitest';
import { parseMix } from '../src/bench/bench-options.js';
import { latencyStats, Samples } from '../src/bench/latency.js';
import { parseEndpoints } from '../src/client/endpoints.js';
import { humanBytes, renderTable } from '../src/client/format.js';
import { idFromHex, idHex, prefixRangeEnd } from '../src/client/wire.js';

describe('client helpers', () => {
  test('endpoints: bare host:port means http, duplicates dropped, bad items named', () => {
    expect(
      parseEndpoints('127.0.0.1:2379, http://127.0.0.1:2379,https://h:1').map((u) => u.origin),
    ).toEqual(['http://127.0.0.1:2379', 'https://h:1']);
    expect(() => parseEndpoints('')).toThrow(/no endpoint given/);
    expect(() => parseEndpoints('http://h:1/v3')).toThrow(/has a path/);
    expect(() => parseEndpoints('ftp://h:1')).toThrow(/only http/);
  });

  test('prefix range end: last byte below 0xff incremented; all-0xff means every key', () => {
    const dec = (b64: string) => [...Buffer.from(b64, 'base64')];
    expect(dec(prefixRangeEnd('app/'))).toEqual([...Buffer.from('app0')]);
    expect(dec(prefixRangeEnd('a\u00ff'))).toEqual([0x61, 0xc3, 0xc0]);
    expect(dec(prefixRangeEnd(''))).toEqual([0]);
  });

  test('ids: decimal uint64 ↔ hex as etcdctl prints them', () => {
    expect(idHex('14584047574062860472')).toBe('ca64f1ffbf6a08b8');
    expect(idFromHex('ca64f1ffbf6a08b8')).toBe('14584047574062860472');
    expect(idFromHex('0xCA64F1FFBF6A08B8')).toBe('14584047574062860472');
    expect(idFromHex('xyz')).toBeUndefined();
    expect(idFromHex('1'.repeat(17))).toBeUndefined();
  });

  test('table and sizes', () => {
    expect(renderTable(['A', 'BB'], [['xyz', '1']])).toBe(
      '+-----+----+\n| A   | BB |\n+-----+----+\n| xyz | 1  |\n+-----+----+',
    );
    expect(humanBytes(20480)).toBe('20 kB');
    expect(humanBytes(999)).toBe('999 B');
    expect(humanBytes(1_500_000)).toBe('1.5 MB');
  });

  test('op mix and latency percentiles (nearest rank, as kvload.mjs)', () => {
    expect(parseMix('mix')).toEqual({ put: 1, get: 1, sget: 0 });
    expect(parseMix('put=70,sget=30')).toEqual({ put: 70, get: 0, sget: 30 });
    expect(() => parseMix('put=0')).toThrow(/no positive weight/);
    expect(() => parseMix('del=1')).toThrow(/bad op mix/);
    const s = new Samples();
    for (let i = 100; i >= 1; i--) s.push(i);
    for (let i = 0; i < 2000; i++) s.push(0.5); // grows past the initial capacity
    const st = latencyStats([s], 2);
    expect(st.ops).toBe(2100);
    expect(st.opsPerSec).toBe(1050);
    expect(st.p50Ms).toBe(0.5);
    expect(st.p99Ms).toBe(79); // rank ⌈0.99·2100⌉ = 2079: the 79th of 1..100 after 2000 halves
    expect(st.maxMs).toBe(100);
  });
});
