import { hashString } from '../hash.js';
import { ILLEGAL, type Model } from '../model.js';
import { FieldError, object, op, show, string } from './fields.js';

/**
 * Operations of etcd's key/value API that a history of raftkit's new API records:
 * get and put of one key, delete of a key or a prefix (with the count etcd reports),
 * a prefix range (the keys and values it returned, in key order), and a txn
 * compare-and-set: if the key's value equals `expect` (null: the key is absent), set it to
 * `value` (null: delete it).
 */
export type EtcdKvInput =
  | { op: 'get'; key: string }
  | { op: 'put'; key: string; value: string }
  | { op: 'delete'; key: string; prefix?: boolean }
  | { op: 'range'; prefix: string }
  | { op: 'cas'; key: string; expect: string | null; value: string | null };

/** What each operation returned; `undefined` (no output) is an unknown outcome. */
export interface EtcdKvOutput {
  /** get: the value, null when absent. */
  value?: string | null;
  /** delete: how many keys it deleted. */
  deleted?: number;
  /** range: [key, value] pairs in key order. */
  kvs?: [string, string][];
  /** cas: whether the compare held (and the write applied). */
  ok?: boolean;
}

/** The store: [key, value] pairs sorted by key. Never mutated; each write makes a new array. */
export type EtcdKvState = readonly (readonly [string, string])[];

function find(state: EtcdKvState, key: string): number {
  let lo = 0;
  let hi = state.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (state[mid]![0] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function get(state: EtcdKvState, key: string): string | null {
  const i = find(state, key);
  return state[i]?.[0] === key ? state[i]![1] : null;
}

function set(state: EtcdKvState, key: string, value: string | null): EtcdKvState {
  const i = find(state, key);
  const present = state[i]?.[0] === key;
  if (value === null) return present ? [...state.slice(0, i), ...state.slice(i + 1)] : state;
  const out = state.slice();
  out.splice(i, present ? 1 : 0, [key, value]);
  return out;
}

function matching(state: EtcdKvState, key: string, prefix: boolean): number[] {
  const out: number[] = [];
  for (let i = find(state, key); i < state.length; i++) {
    const k = state[i]![0];
    if (prefix ? !k.startsWith(key) : k !== key) break;
    out.push(i);
  }
  return out;
}

function sameKvs(state: EtcdKvState, idx: number[], kvs: [string, string][]): boolean {
  if (idx.length !== kvs.length) return false;
  for (let j = 0; j < idx.length; j++) {
    const [k, v] = state[idx[j]!]!;
    if (kvs[j]![0] !== k || kvs[j]![1] !== v) return false;
  }
  return true;
}

/** The namespace of a key or prefix: the text before its first "/" (the whole text if none). */
export function etcdKvNamespace(keyOrPrefix: string): string {
  const slash = keyOrPrefix.indexOf('/');
  return slash < 0 ? keyOrPrefix : keyOrPrefix.slice(0, slash);
}

/**
 * A key/value store with etcd's delete, prefix range and txn compare-and-set. Initially empty.
 * A delete's `deleted` must equal the number of keys it matched; a range must return exactly
 * the keys under its prefix with their values; a cas → ok needs the compare to hold (and
 * applies the write), → not ok needs it to fail. Unknown outcomes: reads are any, writes may
 * apply. Histories split by namespace (`etcdKvNamespace`): a prefix must name its namespace
 * (e.g. "ns/"), so a range or delete never spans two.
 */
export const etcdKvModel: Model<EtcdKvState, EtcdKvInput, EtcdKvOutput> = {
  name: 'etcd-kv',
  init: () => [],
  step(state, input, output) {
    switch (input.op) {
      case 'get':
        return output === undefined || output.value === get(state, input.key) ? state : ILLEGAL;
      case 'put':
        return set(state, input.key, input.value);
      case 'delete': {
        const idx = matching(state, input.key, input.prefix === true);
        if (output !== undefined && output.deleted !== idx.length) return ILLEGAL;
        if (idx.length === 0) return state;
        return [...state.slice(0, idx[0]), ...state.slice(idx[idx.length - 1]! + 1)];
      }
      case 'range': {
        if (output === undefined) return state;
        const idx = matching(state, input.prefix, true);
        return output.kvs !== undefined && sameKvs(state, idx, output.kvs) ? state : ILLEGAL;
      }
      case 'cas': {
        const holds = get(state, input.key) === input.expect;
        if (output === undefined) return holds ? set(state, input.key, input.value) : state;
        if (output.ok !== holds) return ILLEGAL;
        return holds ? set(state, input.key, input.value) : state;
      }
      default:
        return ILLEGAL;
    }
  },
  equal(a, b) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++)
      if (a[i]![0] !== b[i]![0] || a[i]![1] !== b[i]![1]) return false;
    return true;
  },
  hash(state) {
    let h = state.length;
    for (const [k, v] of state) h = Math.imul(h ^ hashString(k), 0x01000193) ^ hashString(v);
    return h | 0;
  },
  partitionKey(input) {
    return etcdKvNamespace(input.op === 'range' ? input.prefix : input.key);
  },
  describeOperation(input, output) {
    const q = JSON.stringify;
    const unknown = output === undefined;
    switch (input.op) {
      case 'get':
        return `get(${q(input.key)}) → ${unknown ? '?' : output.value === null ? 'absent' : q(output.value)}`;
      case 'put':
        return `put(${q(input.key)}, ${q(input.value)})${unknown ? ' → ?' : ''}`;
      case 'delete':
        return `delete(${q(input.key)}${input.prefix ? ', prefix' : ''}) → ${unknown ? '?' : output.deleted}`;
      case 'range':
        return `range(${q(input.prefix)}) → ${unknown ? '?' : (output.kvs ?? []).map(([k, v]) => `${k}=${v}`).join(' ') || 'nothing'}`;
      case 'cas':
        return `cas(${q(input.key)}, ${q(input.expect)} → ${q(input.value)}) → ${unknown ? '?' : output.ok ? 'ok' : 'fail'}`;
    }
  },
  describeState: (state) =>
    state.length === 0 ? 'empty' : state.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' '),
  parseInput(raw) {
    const o = object(raw, '', '{"op": "get" | "put" | "delete" | "range" | "cas", ...}');
    const kind = op(o, ['get', 'put', 'delete', 'range', 'cas'] as const);
    const nullable = (f: string) => {
      const v = o[f];
      if (v !== null && typeof v !== 'string')
        throw new FieldError(f, `must be a string or null, got ${show(v)}`);
      return v;
    };
    switch (kind) {
      case 'get':
        return { op: kind, key: string(o, 'key') };
      case 'put':
        return { op: kind, key: string(o, 'key'), value: string(o, 'value') };
      case 'delete':
        return { op: kind, key: string(o, 'key'), prefix: o.prefix === true };
      case 'range':
        return { op: kind, prefix: string(o, 'prefix') };
      case 'cas':
        return {
          op: kind,
          key: string(o, 'key'),
          expect: nullable('expect'),
          value: nullable('value'),
        };
    }
  },
  parseOutput(raw, input) {
    if (raw === null) return undefined;
    if (raw === undefined) {
      if (input.op === 'put') return {};
      throw new FieldError('', `is missing for a ${input.op} (use null for an unknown outcome)`);
    }
    const o = object(raw, '', '{"value" | "deleted" | "kvs" | "ok": ...}');
    switch (input.op) {
      case 'get':
        if (o.value !== null && typeof o.value !== 'string')
          throw new FieldError('value', `must be a string or null, got ${show(o.value)}`);
        return { value: o.value };
      case 'delete':
        if (typeof o.deleted !== 'number' || !Number.isInteger(o.deleted))
          throw new FieldError('deleted', `must be an integer, got ${show(o.deleted)}`);
        return { deleted: o.deleted };
      case 'range': {
        const kvs = o.kvs;
        if (
          !Array.isArray(kvs) ||
          kvs.some(
            (p) =>
              !Array.isArray(p) ||
              p.length !== 2 ||
              typeof p[0] !== 'string' ||
              typeof p[1] !== 'string',
          )
        )
          throw new FieldError('kvs', `must be [key, value] string pairs, got ${show(kvs)}`);
        return { kvs: kvs as [string, string][] };
      }
      case 'cas':
        if (typeof o.ok !== 'boolean')
          throw new FieldError('ok', `must be true or false, got ${show(o.ok)}`);
        return { ok: o.ok };
      default:
        return {};
    }
  },
};
