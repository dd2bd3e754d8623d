import { InvalidHistoryError } from './errors/invalid-history-error.js';
import type { Operation } from './model.js';

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/**
 * Checks the shape of an operation history given through the API. Throws
 * `InvalidHistoryError` naming the first bad operation and field.
 */
export function validateOperations(ops: unknown): asserts ops is Operation<unknown, unknown>[] {
  if (!Array.isArray(ops)) {
    throw new InvalidHistoryError({
      field: 'operations',
      message: `operations must be an array of { client, input, call, output, return }, got ${describe(ops)}`,
    });
  }
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i] as Record<string, unknown> | null;
    const at = `operations[${i}]`;
    const fail = (field: string, message: string): never => {
      throw new InvalidHistoryError({
        operation: i,
        field: field ? `${at}.${field}` : at,
        message: `operation ${i}${field ? ` field "${field}"` : ''}: ${message}`,
      });
    };
    if (typeof op !== 'object' || op === null || Array.isArray(op)) {
      fail('', `must be an object { client, input, call, output, return }, got ${describe(op)}`);
      return;
    }
    if (typeof op.client !== 'number' || !Number.isFinite(op.client)) {
      fail('client', `must be a number, got ${describe(op.client)}`);
    }
    if (!('input' in op)) fail('input', 'is missing');
    if (typeof op.call !== 'number' || !Number.isFinite(op.call)) {
      fail('call', `must be a finite number, got ${describe(op.call)}`);
    }
    const ret = op.return;
    if (ret !== null) {
      if (typeof ret !== 'number' || !Number.isFinite(ret)) {
        fail(
          'return',
          `must be a finite number, or null for an unknown outcome, got ${describe(ret)}`,
        );
      } else if (ret < (op.call as number)) {
        fail('return', `return ${ret} is before call ${op.call as number}`);
      }
    }
  }
}
