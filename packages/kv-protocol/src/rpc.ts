import { defineService } from '@raftkit/core';
import type { KvBytes } from './bytes.js';
import type { KvErr } from './kv-err.js';
import type { KvRequest } from './requests.js';
import type { KvResult, KvStatus } from './results.js';

/** Identifies a clerk's request for exactly-once execution: `seq` grows by 1 per new request. */
export interface RequestId {
  /** The clerk's unique id (1..MAX_CLIENT_ID_LENGTH characters). */
  clientId: string;
  /** The clerk's request number, ≥ 1. A retry reuses it. */
  seq: number;
}

export interface GetArgs extends RequestId {
  key: KvBytes;
}

export interface GetReply {
  err: KvErr;
  /** The value as text when `err` is OK ("" for a missing key), else "". */
  value: string;
  /** Set with ErrBadRequest: what was wrong. */
  message?: string;
}

export interface PutAppendArgs extends RequestId {
  key: KvBytes;
  value: KvBytes;
}

export interface PutAppendReply {
  err: KvErr;
  message?: string;
}

/**
 * Any etcd-model request. With a clerk's `clientId` and `seq` a write
 * executes at most once (a retry gets the first execution's result); with
 * `clientId: ""` and `seq: 0` (an HTTP client through the gateway) it has
 * etcd's semantics: a retried write may apply twice.
 *
 * This is also the forward RPC: a follower's HTTP gateway sends the request
 * it received to the leader through `Execute` over the cluster transport,
 * and the leader answers it (never forwarding again).
 */
export interface ExecuteArgs extends RequestId {
  request: KvRequest;
}

export interface ExecuteReply {
  err: KvErr;
  /** Set when `err` is OK. */
  result?: KvResult;
  /** With ErrBadRequest: what was wrong. */
  message?: string;
  /**
   * The answering server's applied log index after the request: a gateway
   * that forwarded it waits until its own replica has applied as much, so
   * that its later serializable reads see the write (etcd's read-your-writes
   * on one endpoint).
   */
  appliedIndex?: number;
}

export type StatusArgs = Record<string, never>;

export interface StatusReply {
  status: KvStatus;
}

export type KvMethods = {
  Get: { args: GetArgs; reply: GetReply };
  Put: { args: PutAppendArgs; reply: PutAppendReply };
  Append: { args: PutAppendArgs; reply: PutAppendReply };
  Execute: { args: ExecuteArgs; reply: ExecuteReply };
  Status: { args: StatusArgs; reply: StatusReply };
};

/** The "KVServer" service, shared by server and clerk. */
export const kvService = defineService<KvMethods>()('KVServer', [
  'Get',
  'Put',
  'Append',
  'Execute',
  'Status',
]);
