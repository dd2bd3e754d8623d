/** Returned by `Model.step` when the operation cannot take effect in that state. */
export const ILLEGAL: unique symbol = Symbol.for('raftkit.linearizability.illegal') as never;
export type Illegal = typeof ILLEGAL;

/**
 * A sequential specification, as a plain object. `S` is the state, `I` an operation's input,
 * `O` its output. Only `name`, `init` and `step` are required.
 *
 * An output of `undefined` means the outcome is unknown (the client timed out or crashed):
 * `step` must then accept every outcome the operation could have had.
 */
export interface Model<S, I, O> {
  /** Short name shown in results and the visualisation, e.g. `kv`. */
  readonly name: string;
  /** The initial state. Called once per partition. */
  init(): S;
  /**
   * Applies `input` with observed `output` to `state`. Returns the next state, or `ILLEGAL`
   * when the output is impossible in this state. Must not mutate `state`.
   */
  step(state: S, input: I, output: O | undefined): S | Illegal;
  /**
   * Optional: true when the operation never changes the state: in every state where it is legal,
   * `step` returns that same state (a read, a failed compare-and-set). The search then places
   * such an operation as soon as it fits instead of trying it in every order, which is sound and
   * prunes the hard histories (many concurrent reads). Never answer true for an operation that
   * can change some state (a put of the current value is not read-only).
   */
  readOnly?(input: I, output: O | undefined): boolean;
  /**
   * Optional: orderings that every legal linearization of one partition satisfies, derived from
   * the outputs. Each pair `[a, b]` (indices into `operations`) says that operation `a` takes
   * effect before operation `b`. The search then never tries `b` before `a`, which prunes
   * histories whose reads reveal the order of writes (a get that returns "x;y;" orders the
   * appends of "x;" and "y;") but real time leaves them concurrent. Must be sound: a pair that
   * some legal linearization breaks turns a linearizable history into an illegal verdict. An
   * operation with an unknown output has `output: undefined`.
   */
  mustPrecede?(
    operations: readonly { input: I; output: O | undefined }[],
  ): Iterable<readonly [number, number]>;
  /** State equality. Default: `===` for primitives, JSON text for objects. */
  equal?(a: S, b: S): boolean;
  /** A 32-bit hash consistent with `equal`. Default: by value for primitives, JSON for objects. */
  hash?(state: S): number;
  /**
   * Splits the history into independent sub-histories by a key of the input (e.g. the key of
   * a key/value store). Linearizability is local, so each partition is checked alone.
   */
  partitionKey?(input: I): string | number;
  /**
   * General partitioning, as porcupine's `Partition`: returns groups of operation indices.
   * Every index must appear in exactly one group. Takes precedence over `partitionKey`.
   */
  partition?(operations: readonly Operation<I, O>[]): number[][];
  /** Human text for an operation, e.g. `put("x", "1")`. Default: JSON. */
  describeOperation?(input: I, output: O | undefined): string;
  /** Human text for a state. Default: JSON. */
  describeState?(state: S): string;
  /**
   * The model as JavaScript source for the visualisation page, which computes states on demand:
   * an object expression with `init()`, `step(state, input, output)` (returning `undefined` when
   * illegal; `output` is `undefined` for an unknown outcome), `describeState(state)` and
   * `describeOperation(input, output)`, over the operations' JSON. Built-in models have one.
   * Without it the page shows each operation's description but no states.
   */
  pageModel?: string;
  /** Decodes an operation input from a JSON history. Throw an `Error` naming the field. */
  parseInput?(raw: unknown): I;
  /**
   * Decodes an output from a JSON history; `raw` is `undefined` when the field is absent.
   * Return `undefined` for an unknown outcome. Throw an `Error` naming the field.
   */
  parseOutput?(raw: unknown, input: I): O | undefined;
}

/**
 * One operation of a history. Times are numbers in any unit (non-negative integers in JSON).
 * `return: null` means the outcome is unknown: the operation may take effect at any time after
 * its call, or never (its return is placed after every other event), and its output is ignored.
 */
export interface Operation<I, O> {
  client: number;
  input: I;
  call: number;
  /** `undefined` (or absent) means the outcome is unknown even though the call returned. */
  output?: O | undefined;
  return: number | null;
}

/** One event of an event history: calls and returns in the order they happened. */
export type Event<I, O> =
  | { kind: 'call'; id: number; client: number; value: I }
  | { kind: 'return'; id: number; client?: number; value?: O | undefined };

// biome-ignore lint/suspicious/noExplicitAny: a model of any state, input and output types.
export type AnyModel = Model<any, any, any>;
