import { equalValue, hashValue } from '../hash.js';
import { ILLEGAL, type Model } from '../model.js';
import { FieldError, object, op, show } from './fields.js';

export type RegisterValue = number | string | boolean | null;
export type RegisterInput = { op: 'read' } | { op: 'write'; value: RegisterValue };
/** `value` is what a read returned; a write's output carries nothing. */
export interface RegisterOutput {
  value?: RegisterValue;
}

function value(raw: Record<string, unknown>, field: string): RegisterValue {
  const v = raw[field];
  if (v === undefined)
    throw new FieldError(field, 'is missing (a number, string, boolean or null)');
  if (v !== null && typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean') {
    throw new FieldError(field, `must be a number, string, boolean or null, got ${show(v)}`);
  }
  return v;
}

/**
 * A single read/write register holding a JSON primitive, starting at `initial`. A read with an
 * unknown output is always legal; a write always is.
 */
export function makeRegisterModel(
  initial: RegisterValue = 0,
): Model<RegisterValue, RegisterInput, RegisterOutput> {
  return {
    name: 'register',
    init: () => initial,
    step(state, input, output) {
      if (input.op === 'write') return input.value;
      if (input.op !== 'read') return ILLEGAL;
      return output === undefined || output.value === state ? state : ILLEGAL;
    },
    readOnly: (input) => input.op === 'read',
    equal: equalValue,
    hash: hashValue,
    describeOperation(input, output) {
      if (input.op === 'write') return `write(${JSON.stringify(input.value)})`;
      return `read() → ${output === undefined ? '?' : JSON.stringify(output.value)}`;
    },
    describeState: (state) => JSON.stringify(state),
    parseInput(raw) {
      const o = object(raw, '', '{"op": "read" | "write", "value": ...}');
      const kind = op(o, ['read', 'write'] as const);
      return kind === 'read' ? { op: kind } : { op: kind, value: value(o, 'value') };
    },
    parseOutput(raw, input) {
      if (raw === null) return undefined;
      if (raw === undefined) {
        if (input.op === 'write') return {};
        throw new FieldError(
          '',
          'is missing: a read needs {"value": ...} (use null for an unknown outcome)',
        );
      }
      const o = object(raw, '', '{"value": ...}');
      return input.op === 'read' ? { value: value(o, 'value') } : {};
    },
  };
}

/** A register that starts at 0 (as porcupine's example register). */
export const registerModel = makeRegisterModel(0);
