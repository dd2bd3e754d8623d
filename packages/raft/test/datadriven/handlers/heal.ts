import type { ScriptEnv } from '../env.js';

/** `heal`: every peer can talk to every other again. */
export function heal(env: ScriptEnv): void {
  env.groups = new Array(env.n).fill(0);
}
