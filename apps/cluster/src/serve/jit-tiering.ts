import { setFlagsFromString } from 'node:v8';

/**
 * V8's optimizing-tier budget for a serving node, in bytecodes executed per
 * function before it is considered for optimization (V8's default: 67,584).
 *
 * Why: a freshly started node runs its request path in unoptimized code for
 * several seconds, and the hundreds of functions then optimized at once compete
 * for the CPU with every request. On a 3-node loopback cluster (2 cores) a
 * 1-client put's p99 in the first 3 s of load was 5.5–8.5 ms at the default
 * and 2.6–4.2 ms at this budget; after ~8 s both settle at ~2 ms.
 */
export const SERVING_INTERRUPT_BUDGET = 4096;

/**
 * Lowers the budget for this process (a `raftkit serve` process only: the
 * flag is process-wide). Leaves it alone when the operator chose one, on the
 * command line or in NODE_OPTIONS.
 */
export function tuneJitForServing(): void {
  if (!budgetChosen(process.execArgv, process.env.NODE_OPTIONS))
    setFlagsFromString(`--interrupt-budget=${SERVING_INTERRUPT_BUDGET}`);
}

/** Whether Node's own arguments or NODE_OPTIONS already set V8's interrupt budget. */
export function budgetChosen(
  execArgv: readonly string[],
  nodeOptions: string | undefined,
): boolean {
  return [...execArgv, nodeOptions ?? ''].some((arg) => /--interrupt[-_]budget(=|\s|$)/.test(arg));
}
