import type { KvBytes, KvRequest, RequestOp } from '@raftkit/kv-protocol';
import {
  compactionSchema,
  DecodeError,
  decodeMessage,
  deleteSchema,
  leaseGrantSchema,
  leaseRevokeSchema,
  putSchema,
  rangeSchema,
  type Schema,
  txnSchema,
} from './decode-request.js';
import type { JsonValue } from './json-parse.js';

/** What a gateway route asks for. */
export type Route =
  | { kind: 'kv'; schema: Schema; toRequest: (m: Record<string, unknown>) => KvRequest }
  | { kind: 'status' }
  | { kind: 'members' };

const EMPTY = new Uint8Array(0);
const key = (m: Record<string, unknown>) => (m.key as KvBytes | undefined) ?? EMPTY;

/** An empty RequestOp: etcd answers "key not found" (checkRequestOp's default). */
export class EmptyOpError extends Error {}

function requestOp(m: Record<string, unknown> | undefined): RequestOp {
  if (m === undefined) throw new EmptyOpError();
  if (m.range !== undefined)
    return { op: 'range', ...(m.range as object), key: key(m.range as Record<string, unknown>) };
  if (m.put !== undefined)
    return { op: 'put', ...(m.put as object), key: key(m.put as Record<string, unknown>) };
  if (m.deleteRange !== undefined)
    return {
      op: 'deleteRange',
      ...(m.deleteRange as object),
      key: key(m.deleteRange as Record<string, unknown>),
    };
  if (m.txn !== undefined) return txn(m.txn as Record<string, unknown>);
  throw new EmptyOpError();
}

function txn(m: Record<string, unknown>): RequestOp {
  const compare = ((m.compare as (Record<string, unknown> | undefined)[] | undefined) ?? []).map(
    (c = {}) => ({ target: 0, result: 0, ...c, key: key(c) }),
  );
  const ops = (list: unknown) =>
    ((list as (Record<string, unknown> | undefined)[] | undefined) ?? []).map(requestOp);
  return { op: 'txn', compare, success: ops(m.success), failure: ops(m.failure) };
}

/** The gateway's routes, by path after /v3 (etcd 3.4's names and aliases). */
export const routes: Record<string, Route> = {
  '/kv/range': {
    kind: 'kv',
    schema: rangeSchema,
    toRequest: (m) => ({ op: 'range', ...m, key: key(m) }),
  },
  '/kv/put': {
    kind: 'kv',
    schema: putSchema,
    toRequest: (m) => ({ op: 'put', ...m, key: key(m) }),
  },
  '/kv/deleterange': {
    kind: 'kv',
    schema: deleteSchema,
    toRequest: (m) => ({ op: 'deleteRange', ...m, key: key(m) }),
  },
  '/kv/txn': { kind: 'kv', schema: txnSchema, toRequest: txn },
  '/kv/compaction': {
    kind: 'kv',
    schema: compactionSchema,
    toRequest: (m) => ({ op: 'compact', revision: (m.revision as number | undefined) ?? 0 }),
  },
  '/lease/grant': {
    kind: 'kv',
    schema: leaseGrantSchema,
    toRequest: (m) => ({
      op: 'leaseGrant',
      ttl: (m.ttl as number | undefined) ?? 0,
      id: (m.id as number | undefined) ?? 0,
    }),
  },
  '/lease/revoke': {
    kind: 'kv',
    schema: leaseRevokeSchema,
    toRequest: (m) => ({ op: 'leaseRevoke', id: (m.id as number | undefined) ?? 0 }),
  },
  '/maintenance/status': { kind: 'status' },
  '/cluster/member/list': { kind: 'members' },
};
routes['/kv/lease/revoke'] = routes['/lease/revoke']!;

/** Decodes a kv route's body into its request (throws DecodeError / EmptyOpError). */
export function decodeRoute(route: Route & { kind: 'kv' }, body: JsonValue | undefined): KvRequest {
  return route.toRequest(decodeMessage(route.schema, body));
}

export { DecodeError };
