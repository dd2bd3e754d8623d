import { Worker } from 'node:worker_threads';
import type { LabRunResult } from '../lab/run-lab-test.js';
import type { SweepJob } from './worker.js';

/**
 * Runs jobs on `jobs` worker threads (each a separate V8 isolate running the
 * built worker.js), calling `onResult` as each finishes. Resolves with all
 * results in completion order.
 */
export async function runPool(
  workerUrl: URL,
  queue: SweepJob[],
  jobs: number,
  onResult: (r: LabRunResult) => void,
): Promise<LabRunResult[]> {
  const results: LabRunResult[] = [];
  const pending = [...queue];
  const n = Math.max(1, Math.min(jobs, pending.length));
  await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(workerUrl);
          let current: SweepJob | undefined;
          const next = () => {
            current = pending.shift();
            if (current === undefined) {
              worker.postMessage(null);
              return;
            }
            worker.postMessage(current);
          };
          worker.on('message', (r: LabRunResult) => {
            results.push(r);
            onResult(r);
            next();
          });
          worker.on('error', (error) => {
            if (current !== undefined) {
              const r: LabRunResult = {
                test: current.test,
                seed: current.seed,
                ok: false,
                error: `worker crashed: ${String(error)}`,
                traceHash: '',
                wallMs: 0,
                replay: '',
              };
              results.push(r);
              onResult(r);
            }
            reject(error);
          });
          worker.on('exit', () => resolve());
          next();
        }),
    ),
  );
  return results;
}
