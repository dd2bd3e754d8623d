import { peer } from '../args.js';
import type { ScriptEnv } from '../env.js';
import { name } from '../format.js';

/** `transfer <p> to <q>`: leader p hands leadership to q (thesis §3.10). */
export function transfer(env: ScriptEnv, args: string[]): void {
  const p = peer(env, args[0]);
  const q = peer(env, args[2]);
  const refused = env.core(p).transferLeadership(q, env.now);
  if (refused !== undefined) env.print(`${name(p)}: transfer refused (${refused})`);
  env.drain(p);
}
