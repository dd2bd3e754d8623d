import type { Bin } from './bin.js';

/**
 * The store's own form of etcd's requests and results: keys and values are
 * byte strings (`Bin`), every other field as in @raftkit/kv-protocol. Only
 * fields that are set are present (a log entry encodes them as they are).
 */

export interface BinRange {
  key: Bin;
  rangeEnd?: Bin;
  limit?: number;
  revision?: number;
  sortOrder?: number;
  sortTarget?: number;
  serializable?: boolean;
  keysOnly?: boolean;
  countOnly?: boolean;
  minModRevision?: number;
  maxModRevision?: number;
  minCreateRevision?: number;
  maxCreateRevision?: number;
}

export interface BinPut {
  key: Bin;
  value?: Bin;
  lease?: number;
  prevKv?: boolean;
  ignoreValue?: boolean;
  ignoreLease?: boolean;
}

export interface BinDelete {
  key: Bin;
  rangeEnd?: Bin;
  prevKv?: boolean;
}

export interface BinCompare {
  key: Bin;
  rangeEnd?: Bin;
  target: number;
  result: number;
  value?: Bin;
  version?: number;
  createRevision?: number;
  modRevision?: number;
  lease?: number;
}

export interface BinTxn {
  compare?: BinCompare[];
  success?: BinOp[];
  failure?: BinOp[];
}

export type BinOp =
  | ({ op: 'range' } & BinRange)
  | ({ op: 'put' } & BinPut)
  | ({ op: 'deleteRange' } & BinDelete)
  | ({ op: 'txn' } & BinTxn);

export type BinRequest =
  | BinOp
  | { op: 'append'; key: Bin; value: Bin }
  | { op: 'compact'; revision: number }
  | { op: 'leaseGrant'; id: number; ttl: number }
  | { op: 'leaseRevoke'; id: number };

export interface BinKeyValue {
  key: Bin;
  createRevision: number;
  modRevision: number;
  version: number;
  value: Bin;
  lease: number;
}

export interface BinRangeResult {
  revision: number;
  kvs: BinKeyValue[];
  more: boolean;
  count: number;
}

export interface BinPutResult {
  revision: number;
  prevKv?: BinKeyValue;
}

export interface BinDeleteResult {
  revision: number;
  deleted: number;
  prevKvs: BinKeyValue[];
}

export interface BinTxnResult {
  revision: number;
  succeeded: boolean;
  responses: BinResponseOp[];
}

export type BinResponseOp =
  | ({ op: 'range' } & BinRangeResult)
  | ({ op: 'put' } & BinPutResult)
  | ({ op: 'deleteRange' } & BinDeleteResult)
  | ({ op: 'txn' } & BinTxnResult);

export type BinResult =
  | BinResponseOp
  | ({ op: 'append' } & BinPutResult)
  | { op: 'compact'; revision: number }
  | { op: 'leaseGrant'; revision: number; id: number; ttl: number }
  | { op: 'leaseRevoke'; revision: number };
