import { peer } from '../args.js';
import type { ScriptEnv } from '../env.js';
import { name } from '../format.js';

/** `crash <p>`: p stops; its storage keeps what was persisted; messages to it are lost. */
export function crash(env: ScriptEnv, args: string[]): void {
  const p = peer(env, args[0]);
  env.nodes[p]!.core = undefined;
  env.print(`${name(p)}: crashed`);
}
