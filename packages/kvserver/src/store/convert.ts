import type {
  Compare,
  KeyValue,
  KvRequest,
  KvResult,
  RequestOp,
  ResponseOp,
} from '@raftkit/kv-protocol';
import { type Bin, binFromWire, binToBytes } from './bin.js';
import type {
  BinCompare,
  BinKeyValue,
  BinOp,
  BinRequest,
  BinResponseOp,
  BinResult,
} from './types.js';

/** Copies the fields of `from` that are set (not undefined) into `to`. */
function setFields<T extends object>(to: T, from: object, fields: readonly string[]): T {
  const src = from as Record<string, unknown>;
  const dst = to as Record<string, unknown>;
  for (const f of fields) if (src[f] !== undefined) dst[f] = src[f];
  return to;
}

const rangeFields = [
  'limit',
  'revision',
  'sortOrder',
  'sortTarget',
  'serializable',
  'keysOnly',
  'countOnly',
  'minModRevision',
  'maxModRevision',
  'minCreateRevision',
  'maxCreateRevision',
];

function opToBin(op: RequestOp): BinOp {
  switch (op.op) {
    case 'range': {
      const r: BinOp = { op: 'range', key: binFromWire(op.key) };
      if (op.rangeEnd !== undefined) r.rangeEnd = binFromWire(op.rangeEnd);
      return setFields(r, op, rangeFields);
    }
    case 'put': {
      const r: BinOp = { op: 'put', key: binFromWire(op.key) };
      if (op.value !== undefined) r.value = binFromWire(op.value);
      return setFields(r, op, ['lease', 'prevKv', 'ignoreValue', 'ignoreLease']);
    }
    case 'deleteRange': {
      const r: BinOp = { op: 'deleteRange', key: binFromWire(op.key) };
      if (op.rangeEnd !== undefined) r.rangeEnd = binFromWire(op.rangeEnd);
      return setFields(r, op, ['prevKv']);
    }
    case 'txn': {
      const r: BinOp = { op: 'txn' };
      if (op.compare !== undefined) r.compare = op.compare.map(compareToBin);
      if (op.success !== undefined) r.success = op.success.map(opToBin);
      if (op.failure !== undefined) r.failure = op.failure.map(opToBin);
      return r;
    }
  }
}

function compareToBin(c: Compare): BinCompare {
  const r: BinCompare = { key: binFromWire(c.key), target: c.target, result: c.result };
  if (c.rangeEnd !== undefined) r.rangeEnd = binFromWire(c.rangeEnd);
  if (c.value !== undefined) r.value = binFromWire(c.value);
  return setFields(r, c, ['version', 'createRevision', 'modRevision', 'lease']);
}

/** A validated wire request in the store's form. */
export function requestToBin(request: KvRequest): BinRequest {
  switch (request.op) {
    case 'append':
      return { op: 'append', key: binFromWire(request.key), value: binFromWire(request.value) };
    case 'compact':
      return { op: 'compact', revision: request.revision };
    case 'leaseGrant':
      return { op: 'leaseGrant', id: request.id ?? 0, ttl: request.ttl };
    case 'leaseRevoke':
      return { op: 'leaseRevoke', id: request.id };
    default:
      return opToBin(request);
  }
}

export function kvToWire(kv: BinKeyValue): KeyValue {
  return {
    key: binToBytes(kv.key),
    createRevision: kv.createRevision,
    modRevision: kv.modRevision,
    version: kv.version,
    value: binToBytes(kv.value),
    lease: kv.lease,
  };
}

function responseToWire(r: BinResponseOp): ResponseOp {
  switch (r.op) {
    case 'range':
      return {
        op: 'range',
        revision: r.revision,
        kvs: r.kvs.map(kvToWire),
        more: r.more,
        count: r.count,
      };
    case 'put':
      return r.prevKv === undefined
        ? { op: 'put', revision: r.revision }
        : { op: 'put', revision: r.revision, prevKv: kvToWire(r.prevKv) };
    case 'deleteRange':
      return {
        op: 'deleteRange',
        revision: r.revision,
        deleted: r.deleted,
        prevKvs: r.prevKvs.map(kvToWire),
      };
    case 'txn':
      return {
        op: 'txn',
        revision: r.revision,
        succeeded: r.succeeded,
        responses: r.responses.map(responseToWire),
      };
  }
}

/** A store result in wire form (byte strings become Uint8Arrays). */
export function resultToWire(r: BinResult): KvResult {
  switch (r.op) {
    case 'append':
      return { op: 'append', revision: r.revision };
    case 'compact':
    case 'leaseGrant':
    case 'leaseRevoke':
      return { ...r };
    default:
      return responseToWire(r);
  }
}

export type { Bin };
