import type { Rng } from '@raftkit/core';
import type { BackoffOptions } from './options.js';

/**
 * Delay (ms) before reconnect attempt number `failures` (1 after the first
 * failure): capped exponential, `min(maxMs, baseMs · 2^(failures-1))`, with
 * "equal jitter" — half fixed, half drawn — so that peers that lost a node
 * at the same instant do not reconnect in lockstep. Result in
 * [cap/2, cap] where cap is the capped exponential.
 */
export function backoffDelay(failures: number, options: BackoffOptions, rng: Rng): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  const cap = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  return cap / 2 + (cap / 2) * rng.float();
}
