import { link, onLink } from '../args.js';
import type { ScriptEnv } from '../env.js';

/** `lose a->b [k]`: the k-th (default every) message on that link is lost and the caller learns it (a failed call). */
export function lose(env: ScriptEnv, args: string[]): void {
  const { from, to } = link(env, args[0]);
  const on = onLink(env, from, to);
  const gone = args[1] === undefined ? on : [on[Number(args[1]) - 1]!].filter(Boolean);
  env.wire = env.wire.filter((w) => !gone.includes(w));
  for (const w of gone) env.lose(w);
}
