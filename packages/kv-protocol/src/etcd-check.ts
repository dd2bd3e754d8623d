import { byteLength, compareBytes, type KvBytes, toBytes } from './bytes.js';
import type { KvErr } from './kv-err.js';
import { MAX_TXN_OPS } from './limits.js';
import type { KvRequest, RequestOp, TxnRequest } from './requests.js';

/**
 * etcd's own request rules (v3rpc/key.go), applied after the structural
 * checks: an empty key, `ignoreValue` with a value, `ignoreLease` with a
 * lease, too many txn ops, and a txn that writes one key twice. Returns the
 * error, or undefined when etcd would accept the request.
 */
export function etcdProblem(request: KvRequest): Exclude<KvErr, 'OK'> | undefined {
  switch (request.op) {
    case 'range':
    case 'deleteRange':
    case 'append':
      return byteLength(request.key) === 0 ? 'ErrEmptyKey' : undefined;
    case 'put':
      if (byteLength(request.key) === 0) return 'ErrEmptyKey';
      if (request.ignoreValue && request.value !== undefined && byteLength(request.value) > 0)
        return 'ErrValueProvided';
      if (request.ignoreLease && (request.lease ?? 0) !== 0) return 'ErrLeaseProvided';
      return undefined;
    case 'txn': {
      const problem = txnCheck(request, MAX_TXN_OPS);
      if (problem !== undefined) return problem;
      try {
        checkIntervals(request.success ?? []);
        checkIntervals(request.failure ?? []);
      } catch (error) {
        if (error === DUPLICATE) return 'ErrDuplicateKey';
        throw error;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function txnCheck(r: TxnRequest, maxOps: number): Exclude<KvErr, 'OK'> | undefined {
  const compare = r.compare ?? [];
  const success = r.success ?? [];
  const failure = r.failure ?? [];
  const opc = Math.max(compare.length, success.length, failure.length);
  if (opc > maxOps) return 'ErrTooManyOps';
  for (const c of compare) if (byteLength(c.key) === 0) return 'ErrEmptyKey';
  for (const op of [...success, ...failure]) {
    const p = op.op === 'txn' ? txnCheck(op, maxOps - opc) : etcdProblem(op);
    if (p !== undefined) return p;
  }
  return undefined;
}

const DUPLICATE = Symbol('duplicate key');

/** A delete's key interval: [start, end), end undefined = +infinity. */
interface Interval {
  start: Uint8Array;
  end: Uint8Array | undefined;
}

function intervalOf(key: KvBytes, rangeEnd: KvBytes | undefined): Interval {
  const start = toBytes(key);
  if (rangeEnd === undefined || byteLength(rangeEnd) === 0) {
    // A single key: [key, key + "\0").
    const end = new Uint8Array(start.length + 1);
    end.set(start);
    return { start, end };
  }
  const end = toBytes(rangeEnd);
  return { start, end: end.length === 1 && end[0] === 0 ? undefined : end };
}

function intersects(dels: readonly Interval[], key: Uint8Array): boolean {
  return dels.some(
    (d) => compareBytes(d.start, key) <= 0 && (d.end === undefined || compareBytes(key, d.end) < 0),
  );
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/**
 * etcd's checkIntervals: within one list of ops (and the txns nested in it),
 * a key is put at most once and never put inside a range it deletes. The
 * two branches of a nested txn may put the same key (only one of them runs).
 */
function checkIntervals(reqs: readonly RequestOp[]): {
  puts: Map<string, Uint8Array>;
  dels: Interval[];
} {
  const dels: Interval[] = [];
  for (const r of reqs) if (r.op === 'deleteRange') dels.push(intervalOf(r.key, r.rangeEnd));
  const puts = new Map<string, Uint8Array>();
  for (const r of reqs) {
    if (r.op !== 'txn') continue;
    const then = checkIntervals(r.success ?? []);
    const otherwise = checkIntervals(r.failure ?? []);
    for (const [k, key] of then.puts) {
      if (puts.has(k) || intersects(dels, key)) throw DUPLICATE;
      puts.set(k, key);
    }
    for (const [k, key] of otherwise.puts) {
      if (puts.has(k) && !then.puts.has(k)) throw DUPLICATE;
      if (intersects(dels, key)) throw DUPLICATE;
      puts.set(k, key);
    }
    dels.push(...then.dels, ...otherwise.dels);
  }
  for (const r of reqs) {
    if (r.op !== 'put') continue;
    const key = toBytes(r.key);
    const k = hex(key);
    if (puts.has(k) || intersects(dels, key)) throw DUPLICATE;
    puts.set(k, key);
  }
  return { puts, dels };
}
