import { it } from 'vitest';
import type { LabTest } from '../src/lab/lab-test.js';
import { failureReport, runLabTest, summaryLine } from '../src/lab/run-lab-test.js';
import { seedFor } from '../src/lab/seed.js';

/**
 * Registers one vitest test per lab test, named as in the lab ("TestBackup3B").
 * Seed: env SEED, else derived from the name. A failure prints the replay
 * command and the path of the trace written for it.
 */
export function defineLabSuite(tests: readonly LabTest[]): void {
  for (const test of tests) {
    it(`Test${test.name}`, { timeout: 600_000 }, async () => {
      const seed = seedFor(test.name);
      const result = await runLabTest(test, seed);
      if (!result.ok) {
        const report = failureReport(result);
        console.error(report);
        throw new Error(report);
      }
      console.log(
        `Test (${test.part}): ${test.description} ...\n${summaryLine(result.summary!, seed, result.traceHash)}  wall=${(result.wallMs / 1000).toFixed(1)}s`,
      );
    });
  }
}
