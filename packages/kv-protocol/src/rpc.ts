import { defineService } from '@raftkit/core';

/**
 * Outcome codes of a key/value RPC. `OK` is the only success; every other code
 * tells the clerk what to do next.
 */
export type KvErr =
  /** Done. For Get, `value` is the value ("" for a missing key). */
  | 'OK'
  /** This server is not the leader (or lost leadership before the op committed): try another. */
  | 'ErrWrongLeader'
  /** The op did not commit in time here; it may still commit. Retry (the request id makes it safe). */
  | 'ErrTimeout'
  /** The server is shutting down: try another. */
  | 'ErrKilled'
  /** The request is malformed (see `message`); retrying will not help. Nothing was changed. */
  | 'ErrBadRequest';

/** Identifies a clerk's request for exactly-once execution: `seq` grows by 1 per new request. */
export interface RequestId {
  /** The clerk's unique id. */
  clientId: string;
  /** The clerk's request number, ≥ 1. A retry reuses it. */
  seq: number;
}

export interface GetArgs extends RequestId {
  key: string;
}

export interface GetReply {
  err: KvErr;
  /** The value when `err` is OK, else "". */
  value: string;
  /** Set with ErrBadRequest: what was wrong. */
  message?: string;
}

export interface PutAppendArgs extends RequestId {
  key: string;
  value: string;
}

export interface PutAppendReply {
  err: KvErr;
  message?: string;
}

export type KvMethods = {
  Get: { args: GetArgs; reply: GetReply };
  Put: { args: PutAppendArgs; reply: PutAppendReply };
  Append: { args: PutAppendArgs; reply: PutAppendReply };
};

/** The "KVServer" service, shared by server and clerk. */
export const kvService = defineService<KvMethods>()('KVServer', ['Get', 'Put', 'Append']);
