import { InvalidArgumentError } from '@raftkit/core';

/**
 * A partition's must-precede pairs (`Model.mustPrecede`) as adjacency arrays: the successors of
 * operation `op` are `succ[start[op]] .. succ[start[op + 1] - 1]`, and `preds[op]` counts the
 * distinct operations that must take effect before it. Operations are partition-local indices.
 */
export interface Precedence {
  readonly start: Int32Array;
  readonly succ: Int32Array;
  readonly preds: Int32Array;
}

/** Builds the arrays from `pairs`, dropping repeats; undefined when there are none. */
export function buildPrecedence(
  n: number,
  pairs: Iterable<readonly [number, number]>,
  modelName: string,
): Precedence | undefined {
  const seen = new Set<number>();
  const from: number[] = [];
  const to: number[] = [];
  for (const pair of pairs) {
    const [a, b] = pair;
    if (
      !Number.isInteger(a) ||
      !Number.isInteger(b) ||
      a < 0 ||
      b < 0 ||
      a >= n ||
      b >= n ||
      a === b
    ) {
      throw new InvalidArgumentError({
        argument: 'model.mustPrecede',
        message: `model ${modelName}: mustPrecede() returned [${a}, ${b}]; each pair must hold two different operation indices of the partition (0..${n - 1})`,
      });
    }
    const code = a * n + b;
    if (seen.has(code)) continue;
    seen.add(code);
    from.push(a);
    to.push(b);
  }
  if (from.length === 0) return undefined;
  const start = new Int32Array(n + 1);
  const preds = new Int32Array(n);
  for (let i = 0; i < from.length; i++) {
    start[from[i]! + 1]!++;
    preds[to[i]!]!++;
  }
  for (let op = 0; op < n; op++) start[op + 1]! += start[op]!;
  const fill = start.slice(0, n);
  const succ = new Int32Array(from.length);
  for (let i = 0; i < from.length; i++) succ[fill[from[i]!]!++] = to[i]!;
  return { start, succ, preds };
}
