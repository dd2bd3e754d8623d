import { Worker } from 'node:worker_threads';
import type { LabRunResult } from '../lab/run-lab-test.js';
import type { SweepJob } from './worker.js';

export interface PoolOptions {
  /** Worker threads. */
  jobs: number;
  /**
   * Wall-clock ms after which a run that has not reported is given up: its worker is
   * terminated and the run reported as a hang with its seed. A watchdog, never a verdict on
   * the code: a run's own verdict comes from virtual time only.
   */
  watchdogMs: number;
  /** Extra environment for the workers (e.g. RAFTKIT_TEST_BUG). */
  env?: Record<string, string>;
}

/**
 * Runs jobs on worker threads (each a separate V8 isolate running the built worker.js),
 * calling `onResult` as each finishes. A worker that crashes or exceeds the watchdog is
 * replaced and its job reported as failed; the sweep goes on. Resolves with all results in
 * completion order.
 */
export async function runPool(
  workerUrl: URL,
  queue: SweepJob[],
  options: PoolOptions,
  onResult: (r: LabRunResult) => void,
): Promise<LabRunResult[]> {
  const results: LabRunResult[] = [];
  const pending = [...queue];
  const n = Math.max(1, Math.min(options.jobs, pending.length));
  const env = { ...process.env, ...options.env };
  const failed = (job: SweepJob, error: string): LabRunResult => ({
    test: job.test,
    seed: job.seed,
    ok: false,
    error,
    traceHash: '',
    wallMs: 0,
    replay: '',
  });
  const slot = () =>
    new Promise<void>((resolve) => {
      let worker: Worker;
      let current: SweepJob | undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const report = (r: LabRunResult) => {
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
        current = undefined;
        results.push(r);
        onResult(r);
      };
      const next = () => {
        current = pending.shift();
        if (current === undefined) {
          worker.postMessage(null);
          return;
        }
        const job = current;
        timer = setTimeout(() => {
          report(
            failed(
              job,
              `watchdog: no result after ${options.watchdogMs / 1000}s of wall time (the run hangs or is far too slow); replay it to investigate`,
            ),
          );
          void worker.terminate();
        }, options.watchdogMs);
        worker.postMessage({ ...job, wallLimitMs: Math.floor(options.watchdogMs * 0.8) });
      };
      const spawn = () => {
        worker = new Worker(workerUrl, { env });
        worker.on('message', (r: LabRunResult) => {
          if (current === undefined) return;
          report(r);
          next();
        });
        worker.on('error', (error) => {
          if (current !== undefined) report(failed(current, `worker crashed: ${String(error)}`));
        });
        worker.on('exit', () => {
          if (current !== undefined) report(failed(current, 'worker exited during the run'));
          if (pending.length > 0) {
            spawn();
            next();
          } else resolve();
        });
      };
      spawn();
      next();
    });
  await Promise.all(Array.from({ length: n }, slot));
  return results;
}
