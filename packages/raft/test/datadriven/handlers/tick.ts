import { peer, repeat } from '../args.js';
import type { ScriptEnv } from '../env.js';

/**
 * `tick [p ...] [xN]`: time moves on by one heartbeat interval, N times; the
 * listed live peers (default all) are ticked each time.
 */
export function tick(env: ScriptEnv, args: string[]): void {
  const { count, rest } = repeat(args);
  const peers = rest.length === 0 ? env.all() : rest.map((a) => peer(env, a));
  for (let k = 0; k < count; k++) {
    env.now += env.config.heartbeatIntervalMs;
    for (const p of peers) {
      if (!env.alive(p)) continue;
      env.core(p).tick(env.now);
      env.drain(p);
    }
  }
  env.print(`now ${env.now} ms`);
}
