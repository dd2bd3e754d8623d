import { resolve } from 'node:path';
import { findLabTest } from '../lab/registry.js';
import { failureReport, runLabTest, summaryLine } from '../lab/run-lab-test.js';

export interface ReplayOptions {
  test: string;
  seed: number;
  /** Where to write the trace viewer page; default `<test>-seed<n>.trace.html` here. */
  html?: string;
  /** Trace records kept (default 2,000,000). */
  capacity?: number;
}

/**
 * `raftkit replay`: runs one lab test from its seed with every message delivery traced, prints
 * its summary or failure, and writes the trace viewer page. Resolves with the exit code (0 passed,
 * 1 failed, 2 unknown test).
 */
export async function replay(options: ReplayOptions, print = console.log): Promise<number> {
  const test = findLabTest(options.test);
  if (test === undefined) {
    print(`unknown test "${options.test}"; see \`raftkit list\``);
    return 2;
  }
  process.env.RAFTKIT_QUIET = '1';
  const html = resolve(options.html ?? `${test.name}-seed${options.seed}.trace.html`);
  print(`Test (${test.part}): ${test.description} ... replaying seed ${options.seed}`);
  const r = await runLabTest(test, options.seed, {
    traceDeliveries: true,
    traceCapacity: options.capacity ?? 2_000_000,
    html,
  });
  print(r.ok ? summaryLine(r.summary!, options.seed) : failureReport(r));
  print(`trace viewer: ${r.htmlPath ?? html}`);
  return r.ok ? 0 : 1;
}
