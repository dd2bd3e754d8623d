import { describe, expect, it } from 'vitest';
import {
  checkOperations,
  type EtcdKvInput,
  type EtcdKvOutput,
  etcdKvModel,
  type Operation,
} from '../src/index.js';

type Op = Operation<EtcdKvInput, EtcdKvOutput>;
const op = (
  client: number,
  input: EtcdKvInput,
  call: number,
  output: EtcdKvOutput | undefined,
  ret: number | null,
): Op => ({ client, input, call, output, return: ret });

const put = (c: number, key: string, value: string, call: number, ret: number) =>
  op(c, { op: 'put', key, value }, call, {}, ret);
const get = (c: number, key: string, value: string | null, call: number, ret: number) =>
  op(c, { op: 'get', key }, call, { value }, ret);
const del = (c: number, key: string, deleted: number, call: number, ret: number, prefix = false) =>
  op(c, { op: 'delete', key, prefix }, call, { deleted }, ret);
const range = (c: number, prefix: string, kvs: [string, string][], call: number, ret: number) =>
  op(c, { op: 'range', prefix }, call, { kvs }, ret);
const cas = (
  c: number,
  key: string,
  expect: string | null,
  value: string | null,
  ok: boolean,
  call: number,
  ret: number,
) => op(c, { op: 'cas', key, expect, value }, call, { ok }, ret);

const verdict = (h: Op[]) => checkOperations(etcdKvModel, h).verdict;

describe('etcd-kv model: delete', () => {
  const base = [put(0, 'a/1', 'x', 0, 10), put(0, 'a/2', 'y', 11, 20)];

  it('ok: a prefix delete reports every key it matched; a later get sees nothing', () => {
    expect(verdict([...base, del(1, 'a/', 2, 21, 30, true), get(2, 'a/1', null, 31, 40)])).toBe(
      'ok',
    );
  });

  it('ok: a delete concurrent with a put may count it or not', () => {
    const h = [
      put(0, 'a/1', 'x', 0, 10),
      put(1, 'a/2', 'y', 11, 30),
      del(2, 'a/', 1, 12, 29, true),
    ];
    expect(verdict(h)).toBe('ok');
    expect(verdict([...h.slice(0, 2), del(2, 'a/', 2, 12, 29, true)])).toBe('ok');
  });

  it('illegal: a wrong count, a deleted key read back, a delete that deleted nothing twice', () => {
    expect(verdict([...base, del(1, 'a/', 3, 21, 30, true)])).toBe('illegal');
    expect(verdict([...base, del(1, 'a/1', 1, 21, 30), get(2, 'a/1', 'x', 31, 40)])).toBe(
      'illegal',
    );
    expect(verdict([...base, del(1, 'a/1', 1, 21, 30), del(2, 'a/1', 1, 31, 40)])).toBe('illegal');
  });
});

describe('etcd-kv model: prefix range', () => {
  const base = [put(0, 'p/a', '1', 0, 10), put(0, 'p/b', '2', 11, 20), put(0, 'q/a', '9', 21, 30)];

  it('ok: a range returns exactly the keys under its prefix, in key order', () => {
    expect(
      verdict([
        ...base,
        range(
          1,
          'p/',
          [
            ['p/a', '1'],
            ['p/b', '2'],
          ],
          31,
          40,
        ),
      ]),
    ).toBe('ok');
  });

  it('ok: a range concurrent with a put may or may not include it', () => {
    const h = [...base, put(2, 'p/c', '3', 31, 50)];
    expect(
      verdict([
        ...h,
        range(
          1,
          'p/',
          [
            ['p/a', '1'],
            ['p/b', '2'],
          ],
          32,
          49,
        ),
      ]),
    ).toBe('ok');
    expect(
      verdict([
        ...h,
        range(
          1,
          'p/',
          [
            ['p/a', '1'],
            ['p/b', '2'],
            ['p/c', '3'],
          ],
          32,
          49,
        ),
      ]),
    ).toBe('ok');
  });

  it('illegal: a missing key, a stale value, a key from another prefix, a torn read', () => {
    expect(verdict([...base, range(1, 'p/', [['p/a', '1']], 31, 40)])).toBe('illegal');
    expect(
      verdict([
        ...base,
        put(0, 'p/a', '5', 31, 40),
        range(
          1,
          'p/',
          [
            ['p/a', '1'],
            ['p/b', '2'],
          ],
          41,
          50,
        ),
      ]),
    ).toBe('illegal');
    expect(
      verdict([
        ...base,
        range(
          1,
          'p/',
          [
            ['p/a', '1'],
            ['p/b', '2'],
            ['q/a', '9'],
          ],
          31,
          40,
        ),
      ]),
    ).toBe('illegal');
    // Two puts by one client, in order: a range that sees the second must see the first.
    const torn = [
      put(0, 'p/a', 'new', 31, 40),
      put(0, 'p/b', 'new', 41, 50),
      range(
        1,
        'p/',
        [
          ['p/a', '1'],
          ['p/b', 'new'],
        ],
        35,
        60,
      ),
    ];
    expect(verdict([...base, ...torn])).toBe('illegal');
  });
});

describe('etcd-kv model: txn compare-and-set', () => {
  it('ok: of two concurrent CAS from the same value, one wins', () => {
    const h = [
      put(0, 'l/k', 'free', 0, 10),
      cas(1, 'l/k', 'free', 'one', true, 11, 30),
      cas(2, 'l/k', 'free', 'two', false, 12, 29),
      get(3, 'l/k', 'one', 31, 40),
    ];
    expect(verdict(h)).toBe('ok');
  });

  it('ok: create-if-absent and delete-if-equal', () => {
    const h = [
      cas(1, 'l/k', null, 'mine', true, 0, 10),
      cas(2, 'l/k', null, 'theirs', false, 11, 20),
      cas(1, 'l/k', 'mine', null, true, 21, 30),
      get(3, 'l/k', null, 31, 40),
    ];
    expect(verdict(h)).toBe('ok');
  });

  it('illegal: two winners, a failure with nothing in the way, a lost successful write', () => {
    const two = [
      put(0, 'l/k', 'free', 0, 10),
      cas(1, 'l/k', 'free', 'one', true, 11, 30),
      cas(2, 'l/k', 'free', 'two', true, 12, 29),
    ];
    expect(verdict(two)).toBe('illegal');
    expect(verdict([put(0, 'l/k', 'free', 0, 10), cas(1, 'l/k', 'free', 'x', false, 11, 20)])).toBe(
      'illegal',
    );
    const lost = [
      put(0, 'l/k', 'free', 0, 10),
      cas(1, 'l/k', 'free', 'x', true, 11, 20),
      get(2, 'l/k', 'free', 21, 30),
    ];
    expect(verdict(lost)).toBe('illegal');
  });

  it('an unknown outcome may or may not have applied', () => {
    const h = [
      put(0, 'l/k', 'free', 0, 10),
      op(1, { op: 'cas', key: 'l/k', expect: 'free', value: 'x' }, 11, undefined, null),
      get(2, 'l/k', 'x', 21, 30),
      get(2, 'l/k', 'x', 31, 40),
    ];
    expect(verdict(h)).toBe('ok');
    expect(
      verdict([...h.slice(0, 2), get(2, 'l/k', 'free', 21, 30), get(2, 'l/k', 'x', 31, 40)]),
    ).toBe('ok');
    expect(
      verdict([...h.slice(0, 2), get(2, 'l/k', 'x', 21, 30), get(2, 'l/k', 'free', 31, 40)]),
    ).toBe('illegal');
  });
});

describe('etcd-kv model: JSON histories and partitions', () => {
  it('parses its inputs and outputs and names bad fields', () => {
    const m = etcdKvModel;
    expect(m.parseInput!({ op: 'cas', key: 'a', expect: null, value: 'b' })).toEqual({
      op: 'cas',
      key: 'a',
      expect: null,
      value: 'b',
    });
    expect(m.parseOutput!({ kvs: [['a', 'b']] }, { op: 'range', prefix: 'a' })).toEqual({
      kvs: [['a', 'b']],
    });
    expect(m.parseOutput!(null, { op: 'get', key: 'a' })).toBeUndefined();
    const field = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return (error as { field?: string }).field;
      }
      return undefined;
    };
    expect(field(() => m.parseOutput!({ deleted: 'x' }, { op: 'delete', key: 'a' }))).toBe(
      'deleted',
    );
    expect(field(() => m.parseInput!({ op: 'cas', key: 'a', expect: 3, value: null }))).toBe(
      'expect',
    );
  });

  it('checks each namespace on its own', () => {
    const h = [
      put(0, 'a/1', 'x', 0, 10),
      put(1, 'b/1', 'y', 0, 10),
      range(2, 'a/', [['a/1', 'x']], 11, 20),
    ];
    const result = checkOperations(etcdKvModel, h);
    expect(result.verdict).toBe('ok');
    expect(result.partitions).toHaveLength(2);
    expect(etcdKvModel.describeOperation!(h[2]!.input, h[2]!.output)).toBe('range("a/") → a/1=x');
  });
});
