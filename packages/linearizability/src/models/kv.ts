import { ILLEGAL, type Model } from '../model.js';
import { FieldError, object, op, string } from './fields.js';

export type KvInput =
  | { op: 'get'; key: string }
  | { op: 'put'; key: string; value: string }
  | { op: 'append'; key: string; value: string };

/** `value` is what a get returned; put and append outputs carry nothing the model needs. */
export interface KvOutput {
  value?: string;
}

/**
 * A key's value in the kv model. `value` is the string; `length` its length and `hash` a
 * polynomial hash of it, both kept up to date by `step`. Internally a state is the appended
 * pieces linked to the state they extend, so an append costs O(length of the piece): it neither
 * copies nor rehashes the whole value, and comparing a get's output walks the pieces in place.
 * Reading `value` joins the pieces. Make states with `kvModel.init` and `kvModel.step`; JSON text
 * of a state is its string (`JSON.stringify(state) === JSON.stringify(state.value)`).
 */
export interface KvState {
  readonly value: string;
  readonly length: number;
  /** Σ value[i]·B^(length-1-i) mod 2^32 over UTF-16 code units, B = 0x01000193, as an int32. */
  readonly hash: number;
}

const B = 0x01000193;

/** `tail` appended to `prev`; a put (or the initial "") has `prev === null`. */
class KvPiece implements KvState {
  constructor(
    readonly prev: KvPiece | null,
    readonly tail: string,
    readonly length: number,
    readonly hash: number,
  ) {}

  get value(): string {
    if (this.prev === null) return this.tail;
    const pieces: string[] = [];
    for (let s: KvPiece | null = this; s !== null; s = s.prev) pieces.push(s.tail);
    let out = '';
    for (let i = pieces.length - 1; i >= 0; i--) out += pieces[i];
    return out;
  }

  toJSON(): string {
    return this.value;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `KvState ${JSON.stringify(this.value)}`;
  }
}

const EMPTY = new KvPiece(null, '', 0, 0);

function hashOf(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, B) + s.charCodeAt(i)) | 0;
  return h;
}

/** h(s + v) = h(s)·B^|v| + h(v): O(|v|) however long `s` is. */
function appendTo(state: KvPiece, v: string): KvPiece {
  let h = 0;
  let p = 1;
  for (let i = 0; i < v.length; i++) {
    h = (Math.imul(h, B) + v.charCodeAt(i)) | 0;
    p = Math.imul(p, B);
  }
  return new KvPiece(state, v, state.length + v.length, (Math.imul(state.hash, p) + h) | 0);
}

/** `state.value === s`, comparing piece by piece from the end without building the value. */
function holds(state: KvPiece, s: string): boolean {
  if (state.length !== s.length) return false;
  let end = s.length;
  for (let p: KvPiece | null = state; p !== null; p = p.prev) {
    end -= p.tail.length;
    if (!s.startsWith(p.tail, end)) return false;
  }
  return true;
}

/**
 * `a.value === b.value` for states of equal length, comparing the pieces from the end without
 * joining them (no allocation); stops early at a piece both chains share at the same offset.
 */
function sameText(a: KvPiece, b: KvPiece): boolean {
  let p: KvPiece | null = a;
  let q: KvPiece | null = b;
  let i = a.tail.length; // characters of p.tail still to compare (from the end)
  let j = b.tail.length;
  while (p !== null && q !== null) {
    if (p === q && i === p.tail.length && j === q.tail.length) return true;
    if (i === 0) {
      p = p.prev;
      i = p === null ? 0 : p.tail.length;
      continue;
    }
    if (j === 0) {
      q = q.prev;
      j = q === null ? 0 : q.tail.length;
      continue;
    }
    if (p.tail.charCodeAt(--i) !== q.tail.charCodeAt(--j)) return false;
  }
  return true;
}

/**
 * Must-precede pairs for one key, read off the gets: when every put and append writes a
 * different non-empty value, a get that returned R saw the last put (or "") followed by the
 * appends since, in order, so R is a concatenation of distinct written values, a put only
 * first. When R splits into written values in exactly one way, those writes took effect in
 * that order and before the get, in every legal linearization. A get whose R splits in several
 * ways (or none) yields no pairs; a history with a repeated or empty written value yields none
 * at all (order could not be read off).
 */
function kvMustPrecede(
  operations: readonly { input: KvInput; output: KvOutput | undefined }[],
): [number, number][] {
  const writer = new Map<string, number>();
  const lengths = new Set<number>();
  for (let i = 0; i < operations.length; i++) {
    const input = operations[i]!.input;
    if (input.op === 'get') continue;
    if (input.value === '' || writer.has(input.value)) return [];
    writer.set(input.value, i);
    lengths.add(input.value.length);
  }
  if (writer.size === 0) return [];
  const sizes = [...lengths].sort((a, b) => a - b);
  const pairs: [number, number][] = [];
  for (let g = 0; g < operations.length; g++) {
    const { input, output } = operations[g]!;
    const r = input.op === 'get' ? output?.value : undefined;
    if (r === undefined || r === '') continue;
    const order = uniqueSplit(r, writer, sizes, operations);
    if (order === undefined) continue;
    for (let k = 0; k + 1 < order.length; k++) pairs.push([order[k]!, order[k + 1]!]);
    pairs.push([order[order.length - 1]!, g]);
  }
  return pairs;
}

/**
 * The writes whose values concatenate to `r` (a put only at the start), when there is exactly
 * one such split and it uses each write once; otherwise undefined. ways[i] counts the splits of
 * r[i..] (capped at 2), filled from the end.
 */
function uniqueSplit(
  r: string,
  writer: ReadonlyMap<string, number>,
  sizes: readonly number[],
  operations: readonly { input: KvInput }[],
): number[] | undefined {
  const ways = new Uint8Array(r.length + 1);
  ways[r.length] = 1;
  const fits = (i: number, size: number): number => {
    const w = writer.get(r.slice(i, i + size));
    return w === undefined || (i > 0 && operations[w]!.input.op === 'put') ? -1 : w;
  };
  for (let i = r.length - 1; i >= 0; i--) {
    let count = 0;
    for (const size of sizes) {
      if (i + size > r.length) break;
      if (ways[i + size] !== 0 && fits(i, size) !== -1) count += ways[i + size]!;
    }
    ways[i] = Math.min(count, 2);
  }
  if (ways[0] !== 1) return undefined;
  const order: number[] = [];
  const used = new Set<number>();
  for (let i = 0; i < r.length; ) {
    for (const size of sizes) {
      if (i + size > r.length || ways[i + size] === 0) continue;
      const w = fits(i, size);
      if (w === -1) continue;
      if (used.has(w)) return undefined;
      used.add(w);
      order.push(w);
      i += size;
      break;
    }
  }
  return order;
}

const INPUT_SHAPE = '{"op": "get" | "put" | "append", "key": "...", "value": "..."}';

/**
 * A key/value store with get, put and append on strings, as the MIT 6.824 kvraft lab and
 * porcupine's kv model. Partitioned per key; each key's state is a string (`KvState.value`),
 * initially "" (so a get of a missing key returns ""). A get with an unknown output is always
 * legal.
 */
export const kvModel: Model<KvState, KvInput, KvOutput> = {
  name: 'kv',
  init: () => EMPTY,
  step(state, input, output) {
    switch (input.op) {
      case 'get': {
        if (output === undefined) return state;
        const v = output.value;
        return typeof v === 'string' && holds(state as KvPiece, v) ? state : ILLEGAL;
      }
      case 'put':
        return new KvPiece(null, input.value, input.value.length, hashOf(input.value));
      case 'append':
        return appendTo(state as KvPiece, input.value);
      default:
        return ILLEGAL;
    }
  },
  readOnly: (input) => input.op === 'get',
  mustPrecede: kvMustPrecede,
  equal: (a, b) =>
    a === b || (a.hash === b.hash && a.length === b.length && sameText(a as KvPiece, b as KvPiece)),
  hash(state) {
    // murmur3's finaliser: the polynomial hash's low bits barely depend on the order of appends.
    let h = state.hash;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return h ^ (h >>> 16);
  },
  partitionKey: (input) => input.key,
  describeOperation(input, output) {
    const key = JSON.stringify(input.key);
    if (input.op === 'get') {
      return `get(${key}) → ${output?.value === undefined ? '?' : JSON.stringify(output.value)}`;
    }
    return `${input.op}(${key}, ${JSON.stringify(input.value)})`;
  },
  describeState: (state) => JSON.stringify(state.value),
  parseInput(raw) {
    const o = object(raw, '', INPUT_SHAPE);
    const kind = op(o, ['get', 'put', 'append'] as const);
    const key = string(o, 'key');
    return kind === 'get' ? { op: kind, key } : { op: kind, key, value: string(o, 'value') };
  },
  parseOutput(raw, input) {
    if (raw === null) return undefined;
    if (raw === undefined) {
      if (input.op !== 'get') return {};
      throw new FieldError(
        '',
        'is missing: a get needs {"value": "..."} (use null for an unknown outcome)',
      );
    }
    const o = object(raw, '', '{"value": "..."}');
    if (input.op === 'get') return { value: string(o, 'value') };
    return {};
  },
};
