/**
 * etcd's responses in raftkit's wire form (bytes are `Uint8Array`). Every
 * result carries the store revision its header would show.
 */
export interface KeyValue {
  key: Uint8Array;
  /** Revision of the key's creation (since its last delete). */
  createRevision: number;
  /** Revision of the key's latest change. */
  modRevision: number;
  /** Number of changes since creation (1 after the first put). */
  version: number;
  value: Uint8Array;
  /** The key's lease (0: none). */
  lease: number;
}

export interface RangeResult {
  revision: number;
  kvs: KeyValue[];
  /** True when `limit` cut the result. */
  more: boolean;
  /** Keys in the range before `limit` and the revision filters. */
  count: number;
}

export interface PutResult {
  revision: number;
  prevKv?: KeyValue;
}

export interface DeleteRangeResult {
  revision: number;
  deleted: number;
  prevKvs: KeyValue[];
}

export type ResponseOp =
  | ({ op: 'range' } & RangeResult)
  | ({ op: 'put' } & PutResult)
  | ({ op: 'deleteRange' } & DeleteRangeResult)
  | ({ op: 'txn' } & TxnResult);

export interface TxnResult {
  /** 0 for a txn nested in another (etcd leaves its header empty). */
  revision: number;
  succeeded: boolean;
  responses: ResponseOp[];
}

export interface LeaseGrantResult {
  revision: number;
  id: number;
  ttl: number;
}

/** The result of each KvRequest, tagged with the same `op`. */
export type KvResult =
  | ResponseOp
  | ({ op: 'append' } & PutResult)
  | { op: 'compact'; revision: number }
  | ({ op: 'leaseGrant' } & LeaseGrantResult)
  | { op: 'leaseRevoke'; revision: number };

/** A server's view of itself, for operators and tests (`Status`). */
export interface KvStatus {
  /** This server's index in the group. */
  me: number;
  /** The member's id (decimal uint64), as etcd's member_id. */
  memberId: string;
  clusterId: string;
  /** Index of the leader this server knows of, or -1. */
  leader: number;
  /** The leader's member id, or "0". */
  leaderId: string;
  term: number;
  /** Last log index applied to the store. */
  appliedIndex: number;
  commitIndex: number;
  lastIndex: number;
  /** Index covered by the latest snapshot (0: none). */
  snapshotIndex: number;
  /** The store revision. */
  revision: number;
  /** Reads below this revision answer ErrCompacted. */
  compactRevision: number;
  /** Live keys. */
  keyCount: number;
  /** Hex SHA-256 of the store's content at `revision`: equal on replicas at one applied index. */
  storeHash: string;
  /** Bytes of the latest snapshot. */
  snapshotBytes: number;
  /** Bytes this server keeps in its persister (Raft state + snapshot): etcd's dbSize. */
  storageBytes: number;
  /** Clerks in the duplicate table. */
  clients: number;
}

/** A member of the group, as etcd's member list shows it. */
export interface KvMember {
  /** Decimal uint64. */
  id: string;
  name: string;
  peerUrls: string[];
  clientUrls: string[];
}
