import { peer } from '../args.js';
import type { ScriptEnv } from '../env.js';
import { name } from '../format.js';

/** `restart <p>`: p starts again from its storage, as a follower. */
export function restart(env: ScriptEnv, args: string[]): void {
  const p = peer(env, args[0]);
  env.start(p);
  const s = env.core(p).status();
  env.print(
    `${name(p)}: restarted term=${s.term} last=${s.lastIndex}@${s.lastTerm} snapshot=${s.snapshotIndex}`,
  );
}
