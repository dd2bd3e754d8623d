import { peer } from '../args.js';
import type { ScriptEnv } from '../env.js';
import { name } from '../format.js';

/** `read-index <p>`: a ReadIndex request on p; its result is printed as `read #id`. */
export function readIndex(env: ScriptEnv, args: string[]): void {
  const p = peer(env, args[0]);
  const id = env.nextReadId();
  env.print(`${name(p)}: read #${id} requested`);
  env.core(p).readIndex(id, env.now);
  env.drain(p);
}
