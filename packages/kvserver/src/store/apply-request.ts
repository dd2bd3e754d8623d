import { CompareResult, CompareTarget, type KvErr } from '@raftkit/kv-protocol';
import { type KvStore, keyValue, visible } from './kv-store.js';
import { range } from './range.js';
import type {
  BinCompare,
  BinDelete,
  BinDeleteResult,
  BinKeyValue,
  BinOp,
  BinPut,
  BinPutResult,
  BinRequest,
  BinResponseOp,
  BinResult,
  BinTxn,
  BinTxnResult,
} from './types.js';

type Err = Exclude<KvErr, 'OK'>;
export type RequestOutcome = { err: 'OK'; result: BinResult } | { err: Err };

/**
 * Applies one request to the store, atomically: a request that fails
 * (a compacted or future revision, an unknown lease, ignoreValue on a
 * missing key) changes nothing; a txn's writes all get one new revision.
 * Deterministic: every replica that applies the same requests in the same
 * order reaches the same store.
 */
export function applyRequest(store: KvStore, request: BinRequest): RequestOutcome {
  switch (request.op) {
    case 'range': {
      const r = range(store, request);
      return typeof r === 'string' ? { err: r } : { err: 'OK', result: { op: 'range', ...r } };
    }
    case 'append': {
      store.beginWrite();
      const prev = store.latest(request.key);
      const revision = store.put(
        request.key,
        (prev?.value ?? '') + request.value,
        prev?.lease ?? 0,
      );
      store.endWrite();
      return { err: 'OK', result: { op: 'append', revision } };
    }
    case 'compact': {
      const err = store.compact(request.revision);
      return err ? { err } : { err: 'OK', result: { op: 'compact', revision: store.revision } };
    }
    case 'leaseGrant': {
      const err = store.grantLease(request.id, request.ttl);
      if (err) return { err };
      const { id, ttl } = request;
      return { err: 'OK', result: { op: 'leaseGrant', revision: store.revision, id, ttl } };
    }
    case 'leaseRevoke': {
      const err = store.revokeLease(request.id);
      return err ? { err } : { err: 'OK', result: { op: 'leaseRevoke', revision: store.revision } };
    }
    default: {
      // Like etcd, every compare (nested ones too) is decided on the state before the write.
      const path = request.op === 'txn' ? compareToPath(store, request) : [];
      const err = checkOp(store, request, { path, at: 0 });
      if (err !== undefined) return { err };
      store.beginWrite();
      try {
        const result = executeOp(store, request, { path, at: 0 }, true);
        return { err: 'OK', result };
      } finally {
        store.endWrite();
      }
    }
  }
}

/** Which branch each txn takes, in depth-first order of the branches that run (etcd's txnPath). */
interface Path {
  path: boolean[];
  at: number;
}

function compareToPath(store: KvStore, t: BinTxn): boolean[] {
  const succeeded = compares(store, t.compare ?? []);
  const out = [succeeded];
  for (const op of (succeeded ? t.success : t.failure) ?? []) {
    if (op.op === 'txn') out.push(...compareToPath(store, op));
  }
  return out;
}

/** etcd's checkRequests: errors a request would hit, found before anything changes. */
function checkOp(store: KvStore, op: BinOp, p: Path): Err | undefined {
  switch (op.op) {
    case 'range': {
      const rev = store.readRevision(op.revision);
      return typeof rev === 'string' ? rev : undefined;
    }
    case 'put':
      if ((op.lease ?? 0) !== 0 && !store.leases.has(op.lease!)) return 'ErrLeaseNotFound';
      if ((op.ignoreValue || op.ignoreLease) && store.latest(op.key) === undefined)
        return 'ErrKeyNotFound';
      return undefined;
    case 'deleteRange':
      return undefined;
    case 'txn': {
      const ops = p.path[p.at++] ? op.success : op.failure;
      for (const o of ops ?? []) {
        const err = checkOp(store, o, p);
        if (err !== undefined) return err;
      }
      return undefined;
    }
  }
}

function executeOp(store: KvStore, op: BinOp, p: Path, top: boolean): BinResponseOp {
  switch (op.op) {
    case 'range': {
      const r = range(store, op);
      // checkOp found no error before the write began, and writes do not change that.
      if (typeof r === 'string') throw new Error(`range failed after its check: ${r}`);
      return { op: 'range', ...r };
    }
    case 'put':
      return { op: 'put', ...put(store, op) };
    case 'deleteRange':
      return { op: 'deleteRange', ...deleteRange(store, op) };
    case 'txn':
      return { op: 'txn', ...txn(store, op, p, top) };
  }
}

function put(store: KvStore, p: BinPut): BinPutResult {
  const prev = store.latest(p.key);
  const value = p.ignoreValue ? prev!.value : (p.value ?? '');
  const lease = p.ignoreLease ? prev!.lease : (p.lease ?? 0);
  const prevKv = p.prevKv && prev !== undefined ? keyValue(p.key, prev) : undefined;
  const revision = store.put(p.key, value, lease);
  return prevKv === undefined ? { revision } : { revision, prevKv };
}

function deleteRange(store: KvStore, d: BinDelete): BinDeleteResult {
  const prevKvs: BinKeyValue[] = [];
  if (d.prevKv) {
    const view = store.viewRevision();
    for (const key of store.keys(d.key, d.rangeEnd)) {
      const v = visible(store.records.get(key)!, view);
      if (v !== undefined) prevKvs.push(keyValue(key, v));
    }
  }
  const deleted = store.deleteRange(d.key, d.rangeEnd);
  return { revision: store.viewRevision(), deleted, prevKvs };
}

function txn(store: KvStore, t: BinTxn, p: Path, top: boolean): BinTxnResult {
  const succeeded = p.path[p.at++]!;
  const ops = (succeeded ? t.success : t.failure) ?? [];
  const responses = ops.map((o) => executeOp(store, o, p, false));
  // A nested txn's header is empty in etcd (revision 0); the top one shows the revision after it.
  return { revision: top ? store.viewRevision() : 0, succeeded, responses };
}

/** True when every compare holds at the current view (etcd's applyCompares). */
function compares(store: KvStore, cs: readonly BinCompare[]): boolean {
  const view = store.viewRevision();
  for (const c of cs) {
    let any = false;
    for (const key of store.keys(c.key, c.rangeEnd)) {
      const v = visible(store.records.get(key)!, view);
      if (v === undefined) continue;
      any = true;
      if (!compareOne(c, keyValue(key, v))) return false;
    }
    if (!any) {
      if (c.target === CompareTarget.VALUE) return false;
      const zero: BinKeyValue = {
        key: c.key,
        createRevision: 0,
        modRevision: 0,
        version: 0,
        value: '',
        lease: 0,
      };
      if (!compareOne(c, zero)) return false;
    }
  }
  return true;
}

function compareOne(c: BinCompare, kv: BinKeyValue): boolean {
  let d: number;
  switch (c.target) {
    case CompareTarget.VALUE: {
      const want = c.value ?? '';
      d = kv.value < want ? -1 : kv.value > want ? 1 : 0;
      break;
    }
    case CompareTarget.CREATE:
      d = Math.sign(kv.createRevision - (c.createRevision ?? 0));
      break;
    case CompareTarget.MOD:
      d = Math.sign(kv.modRevision - (c.modRevision ?? 0));
      break;
    case CompareTarget.VERSION:
      d = Math.sign(kv.version - (c.version ?? 0));
      break;
    default:
      d = Math.sign(kv.lease - (c.lease ?? 0));
  }
  switch (c.result) {
    case CompareResult.EQUAL:
      return d === 0;
    case CompareResult.NOT_EQUAL:
      return d !== 0;
    case CompareResult.GREATER:
      return d > 0;
    case CompareResult.LESS:
      return d < 0;
    default:
      return true;
  }
}
