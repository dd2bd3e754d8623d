import { peer } from '../args.js';
import type { ScriptEnv } from '../env.js';

/** `partition 1 | 2 3`: peers talk only inside their group; messages on the wire across groups are lost. */
export function partition(env: ScriptEnv, args: string[]): void {
  const groups = args
    .join(' ')
    .split('|')
    .map((g) => g.trim().split(/\s+/).filter(Boolean));
  env.groups = new Array(env.n).fill(-1);
  groups.forEach((g, k) => {
    for (const a of g) env.groups[peer(env, a)] = k;
  });
  env.groups = env.groups.map((g, i) => (g === -1 ? groups.length + i : g));
  const cut = env.wire.filter((w) => env.groups[w.from] !== env.groups[w.to]);
  env.wire = env.wire.filter((w) => !cut.includes(w));
  for (const w of cut) env.print(`dropped ${env.describe(w)}`);
}
