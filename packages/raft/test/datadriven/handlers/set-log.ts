import { MemoryPersister } from '@raftkit/persister';
import { options, peer } from '../args.js';
import type { ScriptEnv } from '../env.js';
import { name } from '../format.js';

/**
 * `set-log <p> term=<t> entries=<t1,t2,...> [vote=<q>]`: replaces p's storage by
 * that state (as if it had lived through those terms) and restarts p.
 */
export function setLog(env: ScriptEnv, args: string[]): void {
  const p = peer(env, args[0]);
  const o = options(args.slice(1));
  const terms = String(o.entries ?? '')
    .split(',')
    .filter(Boolean)
    .map(Number);
  const storage = new MemoryPersister();
  storage.save({
    hardState: {
      term: Number(o.term),
      votedFor: o.vote === undefined ? -1 : peer(env, String(o.vote)),
    },
    append: { firstIndex: 1, entries: terms.map((t, i) => ({ term: t, command: `v${i + 1}` })) },
  });
  env.nodes[p]!.storage = storage;
  env.start(p);
  env.print(`${name(p)}: log set, last=${terms.length}@${terms.at(-1) ?? 0} term=${o.term}`);
}
