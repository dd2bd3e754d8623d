import { isMainThread } from 'node:worker_threads';

/** Quiet while sweeping: SEEDS set, RAFTKIT_QUIET=1, or inside a sweep worker thread. */
export function quietFromEnv(): boolean {
  return (process.env.SEEDS ?? '') !== '' || process.env.RAFTKIT_QUIET === '1' || !isMainThread;
}
