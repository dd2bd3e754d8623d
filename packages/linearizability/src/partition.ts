import { InvalidArgumentError } from '@raftkit/core';
import type { Model, Operation } from './model.js';

export interface Partition {
  key: string;
  /** Operation indices in history order. */
  ops: number[];
}

/**
 * Splits a history into independent sub-histories with `model.partition` or
 * `model.partitionKey`; one partition holding everything when the model has neither.
 * Partitions are ordered by their first operation.
 */
export function partitionOperations<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly Operation<I, O>[],
): Partition[] {
  if (model.partition) {
    const groups = model.partition(ops);
    const seen = new Uint8Array(ops.length);
    const parts: Partition[] = [];
    groups.forEach((group, g) => {
      const sorted = [...group].sort((a, b) => a - b);
      for (const i of sorted) {
        if (!Number.isInteger(i) || i < 0 || i >= ops.length || seen[i]) {
          throw new InvalidArgumentError({
            argument: 'model.partition',
            message: `model ${model.name}: partition() must return each operation index exactly once; index ${i} is out of range or repeated`,
          });
        }
        seen[i] = 1;
      }
      if (sorted.length > 0) parts.push({ key: String(g), ops: sorted });
    });
    const missing = seen.indexOf(0);
    if (missing !== -1) {
      throw new InvalidArgumentError({
        argument: 'model.partition',
        message: `model ${model.name}: partition() left out operation ${missing}; every operation must be in one group`,
      });
    }
    return parts.sort((a, b) => a.ops[0]! - b.ops[0]!);
  }
  if (model.partitionKey) {
    const byKey = new Map<string | number, number[]>();
    for (let i = 0; i < ops.length; i++) {
      const key = model.partitionKey(ops[i]!.input);
      let group = byKey.get(key);
      if (group === undefined) {
        group = [];
        byKey.set(key, group);
      }
      group.push(i);
    }
    return [...byKey].map(([key, group]) => ({ key: String(key), ops: group }));
  }
  return [{ key: 'all', ops: ops.map((_, i) => i) }];
}
