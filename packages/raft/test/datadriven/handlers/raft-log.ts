import { peer } from '../args.js';
import type { ScriptEnv } from '../env.js';
import { name } from '../format.js';

/** `raft-log <p>`: what p's storage holds: hard state, snapshot position and entries. */
export function raftLog(env: ScriptEnv, args: string[]): void {
  const p = peer(env, args[0]);
  const s = env.nodes[p]!.storage.load();
  const first = s.snapshotMeta.index + 1;
  const entries = s.entries.map((e, i) => `${first + i}@${e.term}`).join(' ');
  env.print(
    `${name(p)}: term=${s.hardState.term} vote=${s.hardState.votedFor === -1 ? '-' : name(s.hardState.votedFor)} snapshot=${s.snapshotMeta.index}@${s.snapshotMeta.term} entries=[${entries}]`,
  );
}
