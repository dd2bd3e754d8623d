import { hashString } from '../hash.js';
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

const INPUT_SHAPE = '{"op": "get" | "put" | "append", "key": "...", "value": "..."}';

/**
 * A key/value store with get, put and append on strings, as the MIT 6.824 kvraft lab and
 * porcupine's kv model. Partitioned per key; each key's state is a string, initially "" (so a
 * get of a missing key returns ""). A get with an unknown output is always legal.
 */
export const kvModel: Model<string, KvInput, KvOutput> = {
  name: 'kv',
  init: () => '',
  step(state, input, output) {
    switch (input.op) {
      case 'get':
        return output === undefined || output.value === state ? state : ILLEGAL;
      case 'put':
        return input.value;
      case 'append':
        return state + input.value;
      default:
        return ILLEGAL;
    }
  },
  equal: (a, b) => a === b,
  hash: hashString,
  partitionKey: (input) => input.key,
  describeOperation(input, output) {
    const key = JSON.stringify(input.key);
    if (input.op === 'get') {
      return `get(${key}) → ${output?.value === undefined ? '?' : JSON.stringify(output.value)}`;
    }
    return `${input.op}(${key}, ${JSON.stringify(input.value)})`;
  },
  describeState: (state) => JSON.stringify(state),
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
