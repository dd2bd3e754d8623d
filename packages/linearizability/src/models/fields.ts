/** Small decoders shared by the built-in models' JSON parsing. Errors name the field. */

export class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

export function object(raw: unknown, field: string, shape: string): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new FieldError(field, `must be an object like ${shape}, got ${show(raw)}`);
  }
  return raw as Record<string, unknown>;
}

export function op<T extends string>(raw: Record<string, unknown>, allowed: readonly T[]): T {
  const value = raw.op;
  if (value === undefined) {
    throw new FieldError(
      'op',
      `is missing; expected one of ${allowed.map((a) => `"${a}"`).join(', ')}`,
    );
  }
  if (!allowed.includes(value as T)) {
    throw new FieldError(
      'op',
      `unknown op ${show(value)}; expected one of ${allowed.map((a) => `"${a}"`).join(', ')}`,
    );
  }
  return value as T;
}

export function string(raw: Record<string, unknown>, field: string): string {
  const value = raw[field];
  if (value === undefined) throw new FieldError(field, 'is missing (a string is required)');
  if (typeof value !== 'string')
    throw new FieldError(field, `must be a string, got ${show(value)}`);
  return value;
}

export function number(raw: Record<string, unknown>, field: string): number {
  const value = raw[field];
  if (value === undefined) throw new FieldError(field, 'is missing (a number is required)');
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new FieldError(field, `must be a number, got ${show(value)}`);
  }
  return value;
}
