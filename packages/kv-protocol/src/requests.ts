import type { KvBytes } from './bytes.js';

/**
 * etcd's key/value requests (api/etcdserverpb/rpc.proto) in raftkit's wire
 * form: keys and values are `KvBytes`, int64 fields are safe integers, enums
 * are their numbers. Optional fields default to etcd's zero values.
 *
 * Ranges: without `rangeEnd` a request names one key; `rangeEnd` [0] ("\0")
 * means every key ≥ `key`; otherwise the half-open interval [key, rangeEnd).
 */

/** RangeRequest.SortOrder. Other numbers are accepted and mean "do not sort", as in etcd. */
export const SortOrder = { NONE: 0, ASCEND: 1, DESCEND: 2 } as const;
/** RangeRequest.SortTarget. Only these five are accepted. */
export const SortTarget = { KEY: 0, VERSION: 1, CREATE: 2, MOD: 3, VALUE: 4 } as const;
/** Compare.CompareResult. */
export const CompareResult = { EQUAL: 0, GREATER: 1, LESS: 2, NOT_EQUAL: 3 } as const;
/** Compare.CompareTarget. */
export const CompareTarget = { VERSION: 0, CREATE: 1, MOD: 2, VALUE: 3, LEASE: 4 } as const;

export interface RangeRequest {
  key: KvBytes;
  rangeEnd?: KvBytes;
  /** At most this many keys (0: no limit). `more` says whether the limit cut the result. */
  limit?: number;
  /** Read at this revision (≤ 0: the latest). */
  revision?: number;
  sortOrder?: number;
  sortTarget?: number;
  /** Answer from the local replica, without a quorum round (may be stale). */
  serializable?: boolean;
  keysOnly?: boolean;
  countOnly?: boolean;
  /** Inclusive filters (0: no filter); `count` is taken before them. */
  minModRevision?: number;
  maxModRevision?: number;
  minCreateRevision?: number;
  maxCreateRevision?: number;
}

export interface PutRequest {
  key: KvBytes;
  value?: KvBytes;
  /** Attach the key to this lease (0: none). */
  lease?: number;
  /** Return the key-value before the put. */
  prevKv?: boolean;
  /** Keep the current value (the key must exist). */
  ignoreValue?: boolean;
  /** Keep the current lease (the key must exist). */
  ignoreLease?: boolean;
}

/** raftkit's own: appends `value` to the key's value (a missing key acts as empty). */
export interface AppendRequest {
  key: KvBytes;
  value: KvBytes;
}

export interface DeleteRangeRequest {
  key: KvBytes;
  rangeEnd?: KvBytes;
  prevKv?: boolean;
}

export interface Compare {
  key: KvBytes;
  rangeEnd?: KvBytes;
  /** A CompareTarget number. */
  target: number;
  /** A CompareResult number. */
  result: number;
  value?: KvBytes;
  version?: number;
  createRevision?: number;
  modRevision?: number;
  lease?: number;
}

/** One operation inside a txn (etcd's RequestOp). */
export type RequestOp =
  | ({ op: 'range' } & RangeRequest)
  | ({ op: 'put' } & PutRequest)
  | ({ op: 'deleteRange' } & DeleteRangeRequest)
  | ({ op: 'txn' } & TxnRequest);

/** If every compare holds, run `success` in order; else `failure`. Atomic: one log entry. */
export interface TxnRequest {
  compare?: Compare[];
  success?: RequestOp[];
  failure?: RequestOp[];
}

export interface CompactRequest {
  /** Forget every revision below this one. */
  revision: number;
}

export interface LeaseGrantRequest {
  /** Time to live in seconds. */
  ttl: number;
  /** The lease id (0: the server picks one). */
  id?: number;
}

export interface LeaseRevokeRequest {
  id: number;
}

/** Every request `Execute` carries. */
export type KvRequest =
  | RequestOp
  | ({ op: 'append' } & AppendRequest)
  | ({ op: 'compact' } & CompactRequest)
  | ({ op: 'leaseGrant' } & LeaseGrantRequest)
  | ({ op: 'leaseRevoke' } & LeaseRevokeRequest);

/** The `op` names of KvRequest. */
export type KvOp = KvRequest['op'];

/** True for requests that change nothing (a range, or a txn of ranges only). */
export function isReadOnly(request: KvRequest): boolean {
  if (request.op === 'range') return true;
  if (request.op !== 'txn') return false;
  const ops = [...(request.success ?? []), ...(request.failure ?? [])];
  return ops.every((o) => isReadOnly(o));
}

/** True for a read that may be answered by the local replica (etcd's IsTxnSerializable). */
export function isSerializable(request: KvRequest): boolean {
  if (request.op === 'range') return request.serializable === true;
  if (request.op !== 'txn') return false;
  const ops = [...(request.success ?? []), ...(request.failure ?? [])];
  return ops.every((o) => o.op === 'range' && o.serializable === true);
}
