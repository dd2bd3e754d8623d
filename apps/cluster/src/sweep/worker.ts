import { parentPort } from 'node:worker_threads';
import { findLabTest } from '../lab/registry.js';
import { type LabRunResult, runLabTest } from '../lab/run-lab-test.js';

/** A sweep worker: runs {test, seed} jobs one at a time and posts each result back. */
export interface SweepJob {
  test: string;
  seed: number;
  /** Wall-clock limit of the run (set by the pool; a watchdog, not a verdict). */
  wallLimitMs?: number;
}

parentPort?.on('message', async (job: SweepJob | null) => {
  if (job === null) {
    process.exit(0);
  }
  const test = findLabTest(job.test);
  let result: LabRunResult;
  if (test === undefined) {
    result = {
      test: job.test,
      seed: job.seed,
      ok: false,
      error: `unknown test ${job.test}`,
      traceHash: '',
      wallMs: 0,
      replay: '',
    };
  } else {
    result = await runLabTest(test, job.seed, { wallLimitMs: job.wallLimitMs });
  }
  parentPort?.postMessage(result);
});
