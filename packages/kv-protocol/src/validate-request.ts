/** Limits on what a request may carry. */
export interface RequestLimits {
  maxKeyLength: number;
  maxValueLength: number;
}

export const MAX_CLIENT_ID_LENGTH = 128;

/**
 * Checks a decoded request; returns a message naming what is wrong, or
 * undefined when it is well-formed. Requests come off the network, so
 * nothing about their shape is trusted.
 */
export function requestProblem(
  args: unknown,
  withValue: boolean,
  limits: RequestLimits,
): string | undefined {
  if (typeof args !== 'object' || args === null) return 'request must be an object';
  const a = args as Record<string, unknown>;
  if (
    typeof a.clientId !== 'string' ||
    a.clientId.length === 0 ||
    a.clientId.length > MAX_CLIENT_ID_LENGTH
  ) {
    return `clientId must be a non-empty string of at most ${MAX_CLIENT_ID_LENGTH} characters`;
  }
  if (typeof a.seq !== 'number' || !Number.isSafeInteger(a.seq) || a.seq < 1)
    return 'seq must be an integer ≥ 1';
  if (typeof a.key !== 'string') return 'key must be a string';
  if (a.key.length > limits.maxKeyLength)
    return `key is ${a.key.length} characters; the limit is ${limits.maxKeyLength}`;
  if (withValue) {
    if (typeof a.value !== 'string') return 'value must be a string';
    if (a.value.length > limits.maxValueLength) {
      return `value is ${a.value.length} characters; the limit is ${limits.maxValueLength}`;
    }
  }
  return undefined;
}
