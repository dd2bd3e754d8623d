/**
 * Real elapsed time, for reports only (per-test wall time, the speed tests' wall ms per op,
 * the checker's budget). Nothing in a simulation ever reads it, so it cannot change a trace.
 */
export function wallNow(): number {
  return performance.now();
}
