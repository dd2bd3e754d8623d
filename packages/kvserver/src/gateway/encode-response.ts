import { Buffer } from 'node:buffer';
import type {
  DeleteRangeResult,
  KeyValue,
  KvMember,
  KvResult,
  KvStatus,
  PutResult,
  RangeResult,
  ResponseOp,
  TxnResult,
} from '@raftkit/kv-protocol';

/**
 * etcd 3.4's JSON replies (grpc-gateway v1 + gogo jsonpb with OrigName):
 * proto field names in field-number order, int64 as decimal strings, bytes
 * as padded base64, and every zero value (false, 0, empty bytes, empty list)
 * left out; a sub-message that is present but empty is still written as {}.
 */

type Obj = Record<string, unknown>;

/** Sets `o[k] = v` unless v is a zero value of its proto type. */
function set(o: Obj, k: string, v: unknown): Obj {
  if (v === undefined || v === false || v === '' || v === '0') return o;
  if (Array.isArray(v) && v.length === 0) return o;
  o[k] = v;
  return o;
}

const int = (n: number) => String(n);
const b64 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');

/** The top-level header (etcd fills it on the member that answers). */
export interface HeaderFields {
  clusterId: string;
  memberId: string;
  raftTerm: number;
}

export function header(h: HeaderFields | undefined, revision: number): Obj {
  const o: Obj = {};
  if (h !== undefined) {
    set(o, 'cluster_id', h.clusterId);
    set(o, 'member_id', h.memberId);
  }
  set(o, 'revision', int(revision));
  if (h !== undefined) set(o, 'raft_term', int(h.raftTerm));
  return o;
}

function kv(k: KeyValue): Obj {
  const o: Obj = {};
  set(o, 'key', b64(k.key));
  set(o, 'create_revision', int(k.createRevision));
  set(o, 'mod_revision', int(k.modRevision));
  set(o, 'version', int(k.version));
  set(o, 'value', b64(k.value));
  set(o, 'lease', int(k.lease));
  return o;
}

function range(r: RangeResult, h?: HeaderFields): Obj {
  const o: Obj = { header: header(h, r.revision) };
  set(o, 'kvs', r.kvs.map(kv));
  set(o, 'more', r.more);
  set(o, 'count', int(r.count));
  return o;
}

function put(r: PutResult, h?: HeaderFields): Obj {
  const o: Obj = { header: header(h, r.revision) };
  if (r.prevKv !== undefined) o.prev_kv = kv(r.prevKv);
  return o;
}

function del(r: DeleteRangeResult, h?: HeaderFields): Obj {
  const o: Obj = { header: header(h, r.revision) };
  set(o, 'deleted', int(r.deleted));
  set(o, 'prev_kvs', r.prevKvs.map(kv));
  return o;
}

function txn(r: TxnResult, h?: HeaderFields): Obj {
  const o: Obj = { header: header(h, r.revision) };
  set(o, 'succeeded', r.succeeded);
  set(o, 'responses', r.responses.map(responseOp));
  return o;
}

function responseOp(r: ResponseOp): Obj {
  switch (r.op) {
    case 'range':
      return { response_range: range(r) };
    case 'put':
      return { response_put: put(r) };
    case 'deleteRange':
      return { response_delete_range: del(r) };
    case 'txn':
      return { response_txn: txn(r) };
  }
}

/** The reply body of a kv or lease request. */
export function resultBody(r: KvResult, h: HeaderFields): Obj {
  switch (r.op) {
    case 'range':
      return range(r, h);
    case 'put':
    case 'append':
      return put(r, h);
    case 'deleteRange':
      return del(r, h);
    case 'txn':
      return txn(r, h);
    case 'leaseGrant': {
      const o: Obj = { header: header(h, r.revision) };
      set(o, 'ID', int(r.id));
      set(o, 'TTL', int(r.ttl));
      return o;
    }
    case 'compact':
    case 'leaseRevoke':
      return { header: header(h, r.revision) };
  }
}

/** etcd's maintenance Status reply for this member. */
export function statusBody(s: KvStatus, version: string): Obj {
  const o: Obj = {
    header: header({ clusterId: s.clusterId, memberId: s.memberId, raftTerm: s.term }, s.revision),
  };
  set(o, 'version', version);
  set(o, 'dbSize', int(s.storageBytes));
  set(o, 'leader', s.leaderId);
  set(o, 'raftIndex', int(s.commitIndex));
  set(o, 'raftTerm', int(s.term));
  set(o, 'raftAppliedIndex', int(s.appliedIndex));
  set(o, 'dbSizeInUse', int(s.storageBytes));
  return o;
}

/** etcd's MemberList reply: its header carries no revision; members sorted by id. */
export function memberListBody(members: readonly KvMember[], h: HeaderFields): Obj {
  const sorted = [...members].sort((a, b) => {
    const d = BigInt(a.id) - BigInt(b.id);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  });
  return {
    header: header(h, 0),
    members: sorted.map((m) => {
      const o: Obj = {};
      set(o, 'ID', m.id);
      set(o, 'name', m.name);
      set(o, 'peerURLs', m.peerUrls);
      set(o, 'clientURLs', m.clientUrls);
      return o;
    }),
  };
}

/** Compact JSON as Go writes it: <, >, &, U+2028 and U+2029 escaped. */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => {
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** An error body {"error","message","code"} (error equals message). */
export function errorBody(message: string, code: number): string {
  return goJson({ error: message, message, code });
}
