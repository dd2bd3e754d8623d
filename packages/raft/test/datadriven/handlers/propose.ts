import { peer } from '../args.js';
import type { ScriptEnv } from '../env.js';
import { name } from '../format.js';

/** `propose <p> <value>`: the service proposes `value` on p; a leader sends it at once. */
export function propose(env: ScriptEnv, args: string[]): void {
  const p = peer(env, args[0]);
  const r = env.core(p).propose(args[1] ?? '', env.now);
  env.print(
    r.isLeader
      ? `${name(p)}: proposed at ${r.index}@${r.term}`
      : `${name(p)}: not leader (term ${r.term})`,
  );
  env.core(p).broadcast(env.now);
  env.drain(p);
}
