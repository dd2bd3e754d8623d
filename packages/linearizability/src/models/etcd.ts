import { hashValue } from '../hash.js';
import { ILLEGAL, type Model } from '../model.js';
import { FieldError, number, object, op, show } from './fields.js';

export type EtcdInput =
  | { op: 'read' }
  | { op: 'write'; value: number }
  | { op: 'cas'; from: number; to: number };

/**
 * `value`: what a read returned (null: the key was never written). `ok`: whether a cas applied.
 * An unknown outcome is `undefined` (no output).
 */
export interface EtcdOutput {
  value?: number | null;
  ok?: boolean;
}

/** null: never written. */
export type EtcdState = number | null;

/**
 * An etcd-style compare-and-set register, as in porcupine's Jepsen etcd tests. Initially absent
 * (null). read → absent/V needs state absent/V; write always applies; cas(A, B) → ok needs A
 * and sets B, → fail needs not A. With an unknown outcome every step is legal and a cas applies
 * only if the state matches (placing it last is the same as never applying it).
 */
export const etcdModel: Model<EtcdState, EtcdInput, EtcdOutput> = {
  name: 'etcd',
  init: () => null,
  step(state, input, output) {
    switch (input.op) {
      case 'read':
        return output === undefined || output.value === state ? state : ILLEGAL;
      case 'write':
        return input.value;
      case 'cas':
        if (output === undefined) return state === input.from ? input.to : state;
        if (output.ok) return state === input.from ? input.to : ILLEGAL;
        return state !== input.from ? state : ILLEGAL;
      default:
        return ILLEGAL;
    }
  },
  // A read, or a cas known to have failed (legal only when the state is not `from`; keeps it).
  readOnly: (input, output) =>
    input.op === 'read' || (input.op === 'cas' && output !== undefined && output.ok === false),
  equal: (a, b) => a === b,
  hash: hashValue,
  describeOperation(input, output) {
    switch (input.op) {
      case 'read':
        return `read() → ${output === undefined ? '?' : output.value === null ? 'absent' : String(output.value)}`;
      case 'write':
        return `write(${input.value})${output === undefined ? ' → ?' : ''}`;
      default:
        return `cas(${input.from}, ${input.to}) → ${output === undefined ? '?' : output.ok ? 'ok' : 'fail'}`;
    }
  },
  describeState: (state) => (state === null ? 'absent' : String(state)),
  parseInput(raw) {
    const o = object(raw, '', '{"op": "read" | "write" | "cas", "value": n, "from": n, "to": n}');
    const kind = op(o, ['read', 'write', 'cas'] as const);
    if (kind === 'read') return { op: kind };
    if (kind === 'write') return { op: kind, value: number(o, 'value') };
    return { op: kind, from: number(o, 'from'), to: number(o, 'to') };
  },
  parseOutput(raw, input) {
    if (raw === null) return undefined;
    if (raw === undefined) {
      if (input.op === 'write') return {};
      throw new FieldError('', `is missing for a ${input.op} (use null for an unknown outcome)`);
    }
    const o = object(raw, '', input.op === 'cas' ? '{"ok": true}' : '{"value": n | null}');
    if (input.op === 'read') {
      const v = o.value;
      if (v === undefined)
        throw new FieldError('value', 'is missing (a number, or null for absent)');
      if (v !== null && (typeof v !== 'number' || !Number.isFinite(v))) {
        throw new FieldError('value', `must be a number or null, got ${show(v)}`);
      }
      return { value: v };
    }
    if (input.op === 'cas') {
      if (typeof o.ok !== 'boolean')
        throw new FieldError('ok', `must be true or false, got ${show(o.ok)}`);
      return { ok: o.ok };
    }
    return {};
  },
};
