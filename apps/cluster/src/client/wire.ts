/**
 * etcd v3 JSON gateway shapes, as they appear on the wire: int64 as decimal strings, bytes as
 * padded standard base64, zero values omitted (so every field is optional).
 */

export interface WireHeader {
  cluster_id?: string;
  member_id?: string;
  revision?: string;
  raft_term?: string;
}

export interface WireKeyValue {
  key?: string;
  create_revision?: string;
  mod_revision?: string;
  version?: string;
  value?: string;
  lease?: string;
}

export interface WireRangeResponse {
  header?: WireHeader;
  kvs?: WireKeyValue[];
  more?: boolean;
  count?: string;
}

export interface WirePutResponse {
  header?: WireHeader;
  prev_kv?: WireKeyValue;
}

export interface WireDeleteRangeResponse {
  header?: WireHeader;
  deleted?: string;
  prev_kvs?: WireKeyValue[];
}

export interface WireResponseOp {
  response_range?: WireRangeResponse;
  response_put?: WirePutResponse;
  response_delete_range?: WireDeleteRangeResponse;
}

export interface WireTxnResponse {
  header?: WireHeader;
  succeeded?: boolean;
  responses?: WireResponseOp[];
}

export interface WireMember {
  ID?: string;
  name?: string;
  peerURLs?: string[];
  clientURLs?: string[];
  isLearner?: boolean;
}

export interface WireMemberListResponse {
  header?: WireHeader;
  members?: WireMember[];
}

export interface WireStatusResponse {
  header?: WireHeader;
  version?: string;
  dbSize?: string;
  leader?: string;
  raftIndex?: string;
  raftTerm?: string;
  raftAppliedIndex?: string;
  errors?: string[];
  dbSizeInUse?: string;
}

/** Standard padded base64 of a string's UTF-8 bytes (the gateway's bytes encoding). */
export function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** The UTF-8 text of gateway bytes; an absent field is the empty value. */
export function unb64(value: string | undefined): string {
  return value === undefined ? '' : Buffer.from(value, 'base64').toString('utf8');
}

/** An int64 field (decimal string, absent = 0) as a number; ids too large for that lose precision, use `idHex`. */
export function int(value: string | undefined): number {
  return value === undefined ? 0 : Number(value);
}

/** A uint64 id (decimal string) in the hex form etcdctl prints, e.g. `8e9e05c52164694d`. */
export function idHex(value: string | undefined): string {
  return value === undefined ? '0' : BigInt(value).toString(16);
}

/** A hex id as typed by a user (`8e9e05c52164694d`, optional `0x`) to the gateway's decimal string. */
export function idFromHex(hex: string): string | undefined {
  const text = hex.trim().replace(/^0x/i, '');
  if (!/^[0-9a-f]{1,16}$/i.test(text)) return undefined;
  return BigInt(`0x${text}`).toString(10);
}

/**
 * The `range_end` that makes a range cover every key starting with `prefix`: the prefix with
 * its last byte below 0xff incremented and what follows dropped; "\0" (all keys ≥ key) when
 * there is none (etcd's `clientv3.GetPrefixRangeEnd`).
 */
export function prefixRangeEnd(prefix: string): string {
  const bytes = Buffer.from(prefix, 'utf8');
  for (let i = bytes.length - 1; i >= 0; i--) {
    if (bytes[i]! < 0xff) {
      const end = Buffer.from(bytes.subarray(0, i + 1));
      end[i] = bytes[i]! + 1;
      return end.toString('base64');
    }
  }
  return Buffer.from([0]).toString('base64');
}
