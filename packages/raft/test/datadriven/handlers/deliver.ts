import { link, onLink, peer } from '../args.js';
import type { ScriptEnv, Wire } from '../env.js';

/**
 * `deliver [p ...]`: delivers the messages now on the wire to the listed
 * peers (default all), oldest first; what they send in answer waits for the
 * next deliver. `deliver a->b [k]`: only the k-th message on that link (default all).
 */
export function deliver(env: ScriptEnv, args: string[]): void {
  let batch: Wire[];
  if (args[0]?.includes('->')) {
    const { from, to } = link(env, args[0]);
    const on = onLink(env, from, to);
    batch = args[1] === undefined ? on : [on[Number(args[1]) - 1]!].filter(Boolean);
  } else {
    const targets = args.length === 0 ? env.all() : args.map((a) => peer(env, a));
    batch = env.wire.filter((w) => targets.includes(w.to));
  }
  env.wire = env.wire.filter((w) => !batch.includes(w));
  for (const w of batch) env.deliver(w);
}
