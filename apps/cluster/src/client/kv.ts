import { InvalidArgumentError } from '@raftkit/core';
import type { GatewayClient } from './gateway-client.js';
import {
  b64,
  int,
  prefixRangeEnd,
  unb64,
  type WireDeleteRangeResponse,
  type WireHeader,
  type WireKeyValue,
  type WirePutResponse,
  type WireRangeResponse,
} from './wire.js';

/** A key-value pair decoded from the gateway (keys and values as UTF-8 text). */
export interface KeyValue {
  key: string;
  value: string;
  createRevision: number;
  modRevision: number;
  version: number;
  lease: number;
}

export interface Header {
  clusterId: string;
  memberId: string;
  revision: number;
  raftTerm: number;
}

export function decodeHeader(h: WireHeader | undefined): Header {
  return {
    clusterId: h?.cluster_id ?? '0',
    memberId: h?.member_id ?? '0',
    revision: int(h?.revision),
    raftTerm: int(h?.raft_term),
  };
}

export function decodeKeyValue(kv: WireKeyValue): KeyValue {
  return {
    key: unb64(kv.key),
    value: unb64(kv.value),
    createRevision: int(kv.create_revision),
    modRevision: int(kv.mod_revision),
    version: int(kv.version),
    lease: int(kv.lease),
  };
}

function requireKey(key: string): void {
  if (typeof key !== 'string' || key === '') {
    throw new InvalidArgumentError({
      argument: 'key',
      message: 'a key must be a non-empty string',
    });
  }
}

export interface PutResult {
  header: Header;
  prevKv?: KeyValue;
}

/** Puts `value` at `key` (POST /v3/kv/put). */
export async function put(
  client: GatewayClient,
  key: string,
  value: string,
  options: { prevKv?: boolean } = {},
): Promise<PutResult> {
  requireKey(key);
  const reply = await client.post<WirePutResponse>('/v3/kv/put', {
    key: b64(key),
    value: b64(value),
    ...(options.prevKv ? { prev_kv: true } : {}),
  });
  return {
    header: decodeHeader(reply.header),
    ...(reply.prev_kv ? { prevKv: decodeKeyValue(reply.prev_kv) } : {}),
  };
}

export interface GetOptions {
  /** Every key that starts with `key`. */
  prefix?: boolean;
  /** Answer from the contacted member's replica, without a quorum round (may be stale). */
  serializable?: boolean;
  /** At most this many kvs (0 = no limit). */
  limit?: number;
  keysOnly?: boolean;
  countOnly?: boolean;
}

export interface GetResult {
  header: Header;
  kvs: KeyValue[];
  /** Keys in the range before `limit`. */
  count: number;
  more: boolean;
}

/** The range request body of a get (shared with the load generator and the torture clients). */
export function rangeRequest(key: string, options: GetOptions = {}): Record<string, unknown> {
  requireKey(key);
  const limit = options.limit ?? 0;
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new InvalidArgumentError({
      argument: 'limit',
      message: `limit must be a non-negative integer, got ${String(limit)}`,
    });
  }
  return {
    key: b64(key),
    ...(options.prefix ? { range_end: prefixRangeEnd(key) } : {}),
    ...(limit > 0 ? { limit: String(limit) } : {}),
    ...(options.serializable ? { serializable: true } : {}),
    ...(options.keysOnly ? { keys_only: true } : {}),
    ...(options.countOnly ? { count_only: true } : {}),
  };
}

export function decodeRange(reply: WireRangeResponse): GetResult {
  return {
    header: decodeHeader(reply.header),
    kvs: (reply.kvs ?? []).map(decodeKeyValue),
    count: int(reply.count),
    more: reply.more === true,
  };
}

/** Reads `key` (or the prefix) through POST /v3/kv/range; linearizable unless `serializable`. */
export async function get(
  client: GatewayClient,
  key: string,
  options: GetOptions = {},
): Promise<GetResult> {
  return decodeRange(
    await client.post<WireRangeResponse>('/v3/kv/range', rangeRequest(key, options)),
  );
}

export interface DeleteResult {
  header: Header;
  deleted: number;
}

/** Deletes `key` (or every key with that prefix) through POST /v3/kv/deleterange. */
export async function del(
  client: GatewayClient,
  key: string,
  options: { prefix?: boolean } = {},
): Promise<DeleteResult> {
  requireKey(key);
  const reply = await client.post<WireDeleteRangeResponse>('/v3/kv/deleterange', {
    key: b64(key),
    ...(options.prefix ? { range_end: prefixRangeEnd(key) } : {}),
  });
  return { header: decodeHeader(reply.header), deleted: int(reply.deleted) };
}
