import { InvalidArgumentError } from '@raftkit/core';
import { equalValue, hashValue } from './hash.js';
import { ILLEGAL, type Model, type Operation } from './model.js';

/**
 * A sequential specification whose step may lead to several states (porcupine's
 * `NondeterministicModel`): `init` returns the possible initial states and `step` every state the
 * operation may lead to, or an empty array when it cannot happen. Check it with
 * `fromNondeterministic(model)`.
 */
export interface NondeterministicModel<S, I, O> {
  readonly name: string;
  init(): S[];
  step(state: S, input: I, output: O | undefined): S[];
  equal?(a: S, b: S): boolean;
  hash?(state: S): number;
  partitionKey?(input: I): string | number;
  partition?(operations: readonly Operation<I, O>[]): number[][];
  describeOperation?(input: I, output: O | undefined): string;
  describeState?(state: S): string;
  parseInput?(raw: unknown): I;
  parseOutput?(raw: unknown, input: I): O | undefined;
}

/**
 * Turns a nondeterministic model into a deterministic one over sets of states (the power-set
 * construction porcupine's `ToModel` uses): a state is the set of states the system may be in,
 * a step maps every member and merges the results, and an empty result is illegal. Sets are
 * frozen arrays without duplicates (by `equal`); their hash is order-independent.
 */
export function fromNondeterministic<S, I, O>(
  model: NondeterministicModel<S, I, O>,
): Model<readonly S[], I, O> {
  if (typeof model !== 'object' || model === null || typeof model.step !== 'function') {
    throw new InvalidArgumentError({
      argument: 'model',
      message:
        'a nondeterministic model needs name, init() and step() returning an array of states',
    });
  }
  const equal = model.equal ? model.equal.bind(model) : (equalValue as (a: S, b: S) => boolean);
  const hash = model.hash ? model.hash.bind(model) : hashValue;
  const merge = (states: S[]): readonly S[] => {
    const out: S[] = [];
    for (const s of states) if (!out.some((t) => equal(s, t))) out.push(s);
    return Object.freeze(out);
  };
  const describe = (s: S) => (model.describeState ? model.describeState(s) : JSON.stringify(s));
  const converted: Model<readonly S[], I, O> = {
    name: model.name,
    init: () => merge(model.init()),
    step(set, input, output) {
      const next: S[] = [];
      for (const s of set) {
        const out = model.step(s, input, output);
        if (!Array.isArray(out)) {
          throw new InvalidArgumentError({
            argument: 'model.step',
            message: `model ${model.name}: step must return an array of states (empty when illegal)`,
          });
        }
        next.push(...out);
      }
      return next.length === 0 ? ILLEGAL : merge(next);
    },
    // Sets are merged, so equal sizes and inclusion one way mean equality.
    equal: (a, b) =>
      a === b || (a.length === b.length && a.every((s) => b.some((t) => equal(s, t)))),
    hash(set) {
      let h = 0;
      for (const s of set) h = (h + Math.imul(hash(s) | 0, 0x9e3779b1)) | 0;
      return h;
    },
    describeState: (set) => `{${set.map(describe).join(', ')}}`,
  };
  if (model.partitionKey) converted.partitionKey = model.partitionKey.bind(model);
  if (model.partition) converted.partition = model.partition.bind(model);
  if (model.describeOperation) converted.describeOperation = model.describeOperation.bind(model);
  if (model.parseInput) converted.parseInput = model.parseInput.bind(model);
  if (model.parseOutput) converted.parseOutput = model.parseOutput.bind(model);
  return converted;
}
