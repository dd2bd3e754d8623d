import { InvalidArgumentError } from './errors/invalid-argument-error.js';

/** Throws InvalidArgumentError unless `value` is a finite number ≥ 0. */
export function assertNonNegative(argument: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError({
      argument,
      message: `${argument} must be a finite number ≥ 0, got ${String(value)}`,
    });
  }
}
