import { peer } from '../args.js';
import type { ScriptEnv } from '../env.js';
import { name } from '../format.js';

/** `status [p ...]`: role, term, vote, leader, log and commit of each listed peer (default all). */
export function status(env: ScriptEnv, args: string[]): void {
  const peers = args.length === 0 ? env.all() : args.map((a) => peer(env, a));
  for (const p of peers) {
    if (!env.alive(p)) {
      env.print(`${name(p)}: down`);
      continue;
    }
    const s = env.core(p).status();
    const n = (id: number) => (id === -1 ? '-' : String(name(id)));
    env.print(
      `${name(p)}: ${s.role} term=${s.term} vote=${n(s.votedFor)} leader=${n(s.leader)} last=${s.lastIndex}@${s.lastTerm} commit=${s.commitIndex} applied=${s.lastApplied} snapshot=${s.snapshotIndex}${s.transferee !== -1 ? ` transferee=${n(s.transferee)}` : ''}`,
    );
  }
}
