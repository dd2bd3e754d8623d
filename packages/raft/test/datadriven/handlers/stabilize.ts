import type { ScriptEnv } from '../env.js';

/** `stabilize`: delivers everything until the wire is empty (no time passes). */
export function stabilize(env: ScriptEnv): void {
  for (let round = 0; env.wire.length > 0; round++) {
    if (round > 100) throw new Error('stabilize: still busy after 100 rounds');
    const batch = env.wire;
    env.wire = [];
    for (const w of batch) env.deliver(w);
  }
}
