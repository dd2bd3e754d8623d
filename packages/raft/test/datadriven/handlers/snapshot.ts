import { peer } from '../args.js';
import type { ScriptEnv } from '../env.js';

/** `snapshot <p> at <i>`: p's service snapshots everything up to i (which it has applied). */
export function snapshot(env: ScriptEnv, args: string[]): void {
  const p = peer(env, args[0]);
  const at = Number(args[2]);
  env.core(p).snapshot(at, new TextEncoder().encode(`snap@${at}`), env.now);
  env.drain(p);
}
