import { Base64Error, decodeGoBase64 } from './go-base64.js';
import { JsonNumber, JsonString, type JsonValue } from './json-parse.js';

/**
 * Decodes a gateway request body (parsed by json-parse) into the fields of
 * one etcd message, as grpc-gateway's jsonpb does: the proto name or the
 * lowerCamelCase JSON name of each field (case-sensitive), unknown fields
 * ignored, null meaning "not set", int64 from a JSON number or string
 * (integers only), bool only from true/false, enums by upper-case name or by
 * number, bytes as padded standard base64. A problem throws DecodeError with
 * Go's text.
 */
export class DecodeError extends Error {}

type Kind =
  | { t: 'bytes' }
  | { t: 'int64' }
  | { t: 'bool' }
  | { t: 'enum'; name: string; values: Record<string, number> }
  | { t: 'message'; schema: Schema }
  | { t: 'repeated'; of: Kind };

/** proto name → [JSON name, kind, the name in raftkit's request]. */
export type Schema = Record<string, [string, Kind, string]>;

const bytes: Kind = { t: 'bytes' };
const int64: Kind = { t: 'int64' };
const bool: Kind = { t: 'bool' };
const enumOf = (name: string, values: Record<string, number>): Kind => ({
  t: 'enum',
  name,
  values,
});

const goType = (v: JsonValue): string =>
  v === null
    ? 'null'
    : typeof v === 'boolean'
      ? 'bool'
      : v instanceof JsonNumber
        ? 'number'
        : v instanceof JsonString
          ? 'string'
          : Array.isArray(v)
            ? 'array'
            : 'object';

const INT64 = /^-?(0|[1-9][0-9]*)$/;
const JSON_NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;
const MAX_INT64 = 2n ** 63n - 1n;

function decodeInt64(v: JsonValue): number {
  let raw: string;
  if (v instanceof JsonNumber) raw = v.raw;
  else if (v instanceof JsonString) raw = v.raw.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
  else throw new DecodeError(`json: cannot unmarshal ${goType(v)} into Go value of type int64`);
  if (!JSON_NUMBER.test(raw)) {
    const bad =
      raw.length === 0
        ? 'unexpected end of JSON input'
        : `invalid character ${JSON.stringify(raw[0]).replace(/^"|"$/g, "'")} looking for beginning of value`;
    throw new DecodeError(bad);
  }
  if (!INT64.test(raw) || BigInt(raw) > MAX_INT64 || BigInt(raw) < -MAX_INT64 - 1n)
    throw new DecodeError(`json: cannot unmarshal number ${raw} into Go value of type int64`);
  const n = Number(raw);
  if (!Number.isSafeInteger(n))
    throw new DecodeError(
      `raftkit: int64 value ${raw} is beyond 2^53, which raftkit does not support`,
    );
  return n;
}

function decodeValue(kind: Kind, v: JsonValue): unknown {
  switch (kind.t) {
    case 'bytes':
      if (!(v instanceof JsonString))
        throw new DecodeError(`json: cannot unmarshal ${goType(v)} into Go value of type []uint8`);
      try {
        const b = decodeGoBase64(v.value);
        return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      } catch (error) {
        if (error instanceof Base64Error) throw new DecodeError(error.message);
        throw error;
      }
    case 'int64':
      return decodeInt64(v);
    case 'bool':
      if (typeof v !== 'boolean')
        throw new DecodeError(`json: cannot unmarshal ${goType(v)} into Go value of type bool`);
      return v;
    case 'enum': {
      if (v instanceof JsonString) {
        const n = kind.values[v.raw];
        if (n === undefined || !Object.hasOwn(kind.values, v.raw))
          throw new DecodeError(`unknown value ${JSON.stringify(v.raw)} for enum ${kind.name}`);
        return n;
      }
      if (v instanceof JsonNumber && /^-?(0|[1-9][0-9]*)$/.test(v.raw)) {
        const n = Number(v.raw);
        if (n >= -(2 ** 31) && n < 2 ** 31) return n;
      }
      throw new DecodeError(
        `json: cannot unmarshal ${v instanceof JsonNumber ? `number ${v.raw}` : goType(v)} into Go value of type int32`,
      );
    }
    case 'message':
      return decodeMessage(kind.schema, v);
    case 'repeated': {
      if (!Array.isArray(v))
        throw new DecodeError(
          `json: cannot unmarshal ${goType(v)} into Go value of type []json.RawMessage`,
        );
      return v.map((x) => (x === null ? undefined : decodeValue(kind.of, x)));
    }
  }
}

/** Decodes one message; null (or an absent body) is the empty message. */
export function decodeMessage(schema: Schema, v: JsonValue | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (v === null || v === undefined) return out;
  if (!(v instanceof Map))
    throw new DecodeError(
      `json: cannot unmarshal ${goType(v)} into Go value of type map[string]json.RawMessage`,
    );
  for (const [name, [json, kind, field]] of Object.entries(schema)) {
    // The proto name and the JSON name are both accepted; the one later in the body wins.
    let value: JsonValue | undefined;
    let at = -1;
    let i = 0;
    for (const [k, x] of v) {
      if ((k === name || k === json) && i > at) {
        value = x;
        at = i;
      }
      i++;
    }
    if (value === undefined || value === null) continue;
    out[field] = decodeValue(kind, value);
  }
  return out;
}

export const sortOrder = enumOf('etcdserverpb.RangeRequest_SortOrder', {
  NONE: 0,
  ASCEND: 1,
  DESCEND: 2,
});
export const sortTarget = enumOf('etcdserverpb.RangeRequest_SortTarget', {
  KEY: 0,
  VERSION: 1,
  CREATE: 2,
  MOD: 3,
  VALUE: 4,
});
const compareResult = enumOf('etcdserverpb.Compare_CompareResult', {
  EQUAL: 0,
  GREATER: 1,
  LESS: 2,
  NOT_EQUAL: 3,
});
const compareTarget = enumOf('etcdserverpb.Compare_CompareTarget', {
  VERSION: 0,
  CREATE: 1,
  MOD: 2,
  VALUE: 3,
  LEASE: 4,
});

export const rangeSchema: Schema = {
  key: ['key', bytes, 'key'],
  range_end: ['rangeEnd', bytes, 'rangeEnd'],
  limit: ['limit', int64, 'limit'],
  revision: ['revision', int64, 'revision'],
  sort_order: ['sortOrder', sortOrder, 'sortOrder'],
  sort_target: ['sortTarget', sortTarget, 'sortTarget'],
  serializable: ['serializable', bool, 'serializable'],
  keys_only: ['keysOnly', bool, 'keysOnly'],
  count_only: ['countOnly', bool, 'countOnly'],
  min_mod_revision: ['minModRevision', int64, 'minModRevision'],
  max_mod_revision: ['maxModRevision', int64, 'maxModRevision'],
  min_create_revision: ['minCreateRevision', int64, 'minCreateRevision'],
  max_create_revision: ['maxCreateRevision', int64, 'maxCreateRevision'],
};

export const putSchema: Schema = {
  key: ['key', bytes, 'key'],
  value: ['value', bytes, 'value'],
  lease: ['lease', int64, 'lease'],
  prev_kv: ['prevKv', bool, 'prevKv'],
  ignore_value: ['ignoreValue', bool, 'ignoreValue'],
  ignore_lease: ['ignoreLease', bool, 'ignoreLease'],
};

export const deleteSchema: Schema = {
  key: ['key', bytes, 'key'],
  range_end: ['rangeEnd', bytes, 'rangeEnd'],
  prev_kv: ['prevKv', bool, 'prevKv'],
};

const compareSchema: Schema = {
  result: ['result', compareResult, 'result'],
  target: ['target', compareTarget, 'target'],
  key: ['key', bytes, 'key'],
  version: ['version', int64, 'version'],
  create_revision: ['createRevision', int64, 'createRevision'],
  mod_revision: ['modRevision', int64, 'modRevision'],
  value: ['value', bytes, 'value'],
  lease: ['lease', int64, 'lease'],
  range_end: ['rangeEnd', bytes, 'rangeEnd'],
};

export const txnSchema: Schema = {};
const requestOpSchema: Schema = {
  request_range: ['requestRange', { t: 'message', schema: rangeSchema }, 'range'],
  request_put: ['requestPut', { t: 'message', schema: putSchema }, 'put'],
  request_delete_range: [
    'requestDeleteRange',
    { t: 'message', schema: deleteSchema },
    'deleteRange',
  ],
  request_txn: ['requestTxn', { t: 'message', schema: txnSchema }, 'txn'],
};
Object.assign(txnSchema, {
  compare: ['compare', { t: 'repeated', of: { t: 'message', schema: compareSchema } }, 'compare'],
  success: ['success', { t: 'repeated', of: { t: 'message', schema: requestOpSchema } }, 'success'],
  failure: ['failure', { t: 'repeated', of: { t: 'message', schema: requestOpSchema } }, 'failure'],
});

export const compactionSchema: Schema = {
  revision: ['revision', int64, 'revision'],
  physical: ['physical', bool, 'physical'],
};
export const leaseGrantSchema: Schema = {
  TTL: ['TTL', int64, 'ttl'],
  ID: ['ID', int64, 'id'],
};
export const leaseRevokeSchema: Schema = { ID: ['ID', int64, 'id'] };
export const emptySchema: Schema = {};
