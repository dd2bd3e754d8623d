import { describe, expect, it } from 'vitest';
import {
  etcdProblem,
  executeProblem,
  type KvRequest,
  kvRequestProblem,
  MAX_CLIENT_ID_LENGTH,
  MAX_TXN_OPS,
  requestProblem,
} from '../src/index.js';

const limits = { maxKeyBytes: 8, maxValueBytes: 16 };
const ok = { clientId: 'c', seq: 1, key: 'k', value: 'v' };

describe('requestProblem', () => {
  it('accepts a well-formed Get and Put, with string or byte keys', () => {
    expect(requestProblem({ clientId: 'c', seq: 1, key: 'k' }, false, limits)).toBeUndefined();
    expect(requestProblem(ok, true, limits)).toBeUndefined();
    expect(requestProblem({ ...ok, key: new Uint8Array([0, 255]) }, true, limits)).toBeUndefined();
  });

  it.each([
    [null, /object/],
    ['text', /object/],
    [{ ...ok, clientId: '' }, /clientId/],
    [{ ...ok, clientId: 'x'.repeat(MAX_CLIENT_ID_LENGTH + 1) }, /clientId/],
    [{ ...ok, seq: 0 }, /seq/],
    [{ ...ok, seq: 1.5 }, /seq/],
    [{ ...ok, key: 7 }, /key must be a string or a Uint8Array/],
    [{ ...ok, key: 'x'.repeat(9) }, /9 bytes; the limit is 8/],
    [{ ...ok, key: 'é'.repeat(5) }, /10 bytes; the limit is 8/],
    [{ ...ok, key: 'a\ud800' }, /unpaired surrogate/],
    [{ ...ok, value: '\udc00x' }, /unpaired surrogate/],
    [{ ...ok, value: 3 }, /value must be a string or a Uint8Array/],
    [{ ...ok, value: 'x'.repeat(17) }, /17 bytes; the limit is 16/],
  ])('names what is wrong with %j', (request, problem) => {
    expect(requestProblem(request, true, limits)).toMatch(problem);
  });
});

describe('executeProblem and kvRequestProblem', () => {
  const exec = (request: unknown, id = { clientId: 'c', seq: 1 }) =>
    executeProblem({ ...id, request }, limits);

  it('accepts every op, and the anonymous id ("", 0)', () => {
    const requests: KvRequest[] = [
      { op: 'range', key: 'a', rangeEnd: '\0', limit: 2, sortOrder: 7, sortTarget: 4 },
      { op: 'put', key: 'a', value: new Uint8Array([1]), prevKv: true, lease: 5 },
      { op: 'append', key: 'a', value: 'b' },
      { op: 'deleteRange', key: 'a', rangeEnd: 'b', prevKv: true },
      {
        op: 'txn',
        compare: [{ key: 'a', target: 3, result: 0, value: 'x' }],
        success: [{ op: 'txn', success: [{ op: 'put', key: 'b', value: 'c' }] }],
        failure: [{ op: 'range', key: 'a' }],
      },
      { op: 'compact', revision: 3 },
      { op: 'leaseGrant', ttl: 10 },
      { op: 'leaseRevoke', id: 1 },
    ];
    for (const r of requests) expect(exec(r)).toBeUndefined();
    expect(exec({ op: 'range', key: 'a' }, { clientId: '', seq: 0 })).toBeUndefined();
  });

  it.each([
    [{ op: 'nope', key: 'a' }, /unknown op/],
    [{ op: 'range' }, /key must be/],
    [{ op: 'range', key: 'a', limit: 1.5 }, /limit must be an integer/],
    [{ op: 'range', key: 'a', sortTarget: 9 }, /sortTarget 9/],
    [{ op: 'range', key: 'a', keysOnly: 'yes' }, /keysOnly must be a boolean/],
    [{ op: 'put', key: 'a', value: 'x'.repeat(17) }, /limit is 16/],
    [{ op: 'txn', compare: {} }, /compare must be an array/],
    [{ op: 'txn', compare: [{ key: 'a', target: 7, result: 0 }] }, /target 7/],
    [{ op: 'txn', success: [{ op: 'compact', revision: 1 }] }, /a txn op must be/],
    [{ op: 'compact' }, /revision is required/],
    [{ op: 'leaseGrant', ttl: Number.NaN }, /ttl must be an integer/],
  ])('names what is wrong with %j', (request, problem) => {
    expect(exec(request)).toMatch(problem);
  });

  it('refuses txns nested deeper than the limit without overflowing the stack', () => {
    let t: KvRequest = { op: 'txn' };
    for (let i = 0; i < 10_000; i++) t = { op: 'txn', success: [t as never] };
    expect(kvRequestProblem(t, limits)).toMatch(/nested more than/);
  });

  it('an id without seq, or a seq without id, is refused', () => {
    expect(exec({ op: 'range', key: 'a' }, { clientId: '', seq: 1 })).toMatch(/clientId/);
    expect(exec({ op: 'range', key: 'a' }, { clientId: 'c', seq: 0 })).toMatch(/seq/);
  });
});

describe("etcd's own rules", () => {
  const puts = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ op: 'range' as const, key: `k${i}` }));
  it.each<[KvRequest, string | undefined]>([
    [{ op: 'range', key: '' }, 'ErrEmptyKey'],
    [{ op: 'put', key: new Uint8Array(0), value: 'v' }, 'ErrEmptyKey'],
    [{ op: 'put', key: 'a', value: 'v', ignoreValue: true }, 'ErrValueProvided'],
    [{ op: 'put', key: 'a', lease: 3, ignoreLease: true }, 'ErrLeaseProvided'],
    [{ op: 'put', key: 'a', ignoreValue: true }, undefined],
    [{ op: 'txn', success: puts(MAX_TXN_OPS) }, undefined],
    [{ op: 'txn', success: puts(MAX_TXN_OPS + 1) }, 'ErrTooManyOps'],
    [{ op: 'txn', compare: [{ key: '', target: 0, result: 0 }] }, 'ErrEmptyKey'],
    [
      {
        op: 'txn',
        success: [
          { op: 'put', key: 'd', value: '1' },
          { op: 'put', key: 'd', value: '2' },
        ],
      },
      'ErrDuplicateKey',
    ],
    [
      {
        op: 'txn',
        success: [
          { op: 'deleteRange', key: 'a', rangeEnd: 'z' },
          { op: 'put', key: 'm', value: '2' },
        ],
      },
      'ErrDuplicateKey',
    ],
    [
      {
        op: 'txn',
        success: [
          {
            op: 'txn',
            success: [{ op: 'put', key: 'x', value: '1' }],
            failure: [{ op: 'put', key: 'x', value: '2' }],
          },
        ],
      },
      undefined,
    ],
    [
      {
        op: 'txn',
        success: [
          { op: 'put', key: 'x', value: '0' },
          { op: 'txn', success: [{ op: 'put', key: 'x', value: '1' }] },
        ],
      },
      'ErrDuplicateKey',
    ],
    [
      {
        op: 'txn',
        success: [{ op: 'put', key: 'x', value: '0' }],
        failure: [{ op: 'put', key: 'x', value: '1' }],
      },
      undefined,
    ],
  ])('%j → %s', (request, err) => {
    expect(etcdProblem(request)).toBe(err);
  });
});
