import { peer } from '../args.js';
import type { ScriptEnv } from '../env.js';

/** `campaign <p>`: p's election timeout fires now (through a pre-vote when enabled). */
export function campaign(env: ScriptEnv, args: string[]): void {
  const p = peer(env, args[0]);
  env.core(p).campaign(env.now);
  env.drain(p);
}
