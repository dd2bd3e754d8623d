import type { RaftConfig } from '../../../src/index.js';
import { options } from '../args.js';
import type { ScriptEnv } from '../env.js';

/** `cluster <n> [option=value ...]`: n fresh peers (Raft options as key=value, flags as bare words). */
export function cluster(env: ScriptEnv, args: string[]): void {
  const [n, ...rest] = args;
  env.reset(Number(n), options(rest) as Partial<RaftConfig>);
}
