import { RaftkitError } from '@raftkit/core';

const marker = Symbol.for('raftkit.error.InvalidHistoryError');

/**
 * A history (JSON document, Jepsen log, kv log or API input) is malformed. Nothing was checked.
 * The message names the place: the operation or event index and field for JSON and the API,
 * the 1-based line for text logs.
 */
export class InvalidHistoryError extends RaftkitError {
  readonly [marker] = true;
  /** Index of the offending operation (or event, for event histories), when known. */
  readonly operation: number | undefined;
  /** 1-based line number in a text log (or in the JSON text, for syntax errors), when known. */
  readonly line: number | undefined;
  /** Dotted path of the offending field, e.g. `operations[3].input.key`. */
  readonly field: string | undefined;

  constructor(options: {
    message: string;
    operation?: number;
    line?: number;
    field?: string;
    cause?: unknown;
  }) {
    super({ code: 'INVALID_HISTORY', message: options.message, cause: options.cause });
    this.operation = options.operation;
    this.line = options.line;
    this.field = options.field;
  }

  static override isInstance(error: unknown): error is InvalidHistoryError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
