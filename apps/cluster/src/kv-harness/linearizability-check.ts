import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type CheckResult,
  checkOperations,
  type KvInput,
  type KvOutput,
  kvModel,
  type Operation,
  renderVisualization,
} from '@raftkit/linearizability';
import { fail } from './fail.js';
import type { KvOperation } from './history.js';
import type { KvTestContext } from './run.js';

/**
 * The checker's budget in search steps (model steps over all keys). The lab allows 1 s of wall
 * time and counts a time-out as a pass; raftkit counts steps, so the verdict is a function of the
 * history (hence of the seed) and not of the machine's speed or load, and counts an undecided
 * check (verdict `unknown`) as a failure, so it is reported, never silently passed. Default
 * 100 million steps (seconds of work). Override with RAFTKIT_CHECK_MAX_STEPS.
 */
export function checkStepBudget(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.RAFTKIT_CHECK_MAX_STEPS;
  const n = raw === undefined || raw === '' ? 100_000_000 : Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new Error(`RAFTKIT_CHECK_MAX_STEPS must be a positive integer, got "${raw}"`);
  return n;
}

/** The tester's log in the checker's operation form (kv model input and output). */
export function toCheckerOperations(ops: readonly KvOperation[]): Operation<KvInput, KvOutput>[] {
  return ops.map((o) => ({
    client: o.client,
    input:
      o.kind === 'get' ? { op: 'get', key: o.key } : { op: o.kind, key: o.key, value: o.value },
    call: o.call,
    output: o.kind === 'get' ? { value: o.output } : {},
    return: o.return,
  }));
}

/** The history as the checker's documented JSON ({"model": "kv", "operations": [...]}). */
export function historyJson(ops: readonly Operation<KvInput, KvOutput>[]): string {
  const lines = ops.map((o) => JSON.stringify(o));
  return `{"model": "kv", "operations": [\n${lines.join(',\n')}\n]}\n`;
}

function write(path: string, text: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/**
 * Checker statistics of this process (reports only): how close the checks come to the budget.
 * `last` is the most recent check, reset by the runner before each run.
 */
export const checkerStats = {
  checks: 0,
  maxMs: 0,
  maxOps: 0,
  maxSteps: 0,
  last: undefined as { ms: number; ops: number; steps: number } | undefined,
};

export interface KvCheckSummary {
  verdict: CheckResult<string>['verdict'];
  operations: number;
  partitions: number;
  elapsedMs: number;
}

/**
 * The final check of every GenericTest: the whole history against the kv model. `illegal`
 * writes the history JSON and the HTML visualisation and fails naming both; `unknown`
 * (checker time-out or cache bound) writes the history and fails too.
 */
export async function checkKvHistory(
  ctx: KvTestContext,
  log: readonly KvOperation[],
): Promise<KvCheckSummary> {
  const operations = toCheckerOperations(log);
  const maxSteps = checkStepBudget();
  const result = checkOperations(kvModel, operations, { maxSteps });
  const steps = result.partitions.reduce((n, p) => n + p.steps, 0);
  checkerStats.checks += 1;
  checkerStats.maxMs = Math.max(checkerStats.maxMs, result.elapsedMs);
  checkerStats.maxOps = Math.max(checkerStats.maxOps, result.operations);
  checkerStats.maxSteps = Math.max(checkerStats.maxSteps, steps);
  checkerStats.last = { ms: result.elapsedMs, ops: result.operations, steps };
  const summary: KvCheckSummary = {
    verdict: result.verdict,
    operations: result.operations,
    partitions: result.partitions.length,
    elapsedMs: result.elapsedMs,
  };
  // For the trace viewer: the verdict, and which operations (history indices) it concerns.
  ctx.sim.trace('kv-tester', 'linearizability', {
    verdict: result.verdict,
    illegal: result.partitions.filter((p) => p.verdict === 'illegal').flatMap((p) => p.operations),
    failedAt: result.partitions.filter((p) => p.failedAt >= 0).map((p) => p.failedAt),
  });
  const line =
    `  linearizability: ${result.verdict}, ${result.operations} ops in ` +
    `${result.partitions.length} keys, ${steps} search steps (${result.elapsedMs.toFixed(0)} ms wall)`;
  if (!ctx.quiet || result.verdict !== 'ok') console.log(line);
  if (result.verdict === 'ok') return summary;

  const historyPath = write(`${ctx.artifactBase}.history.json`, historyJson(operations));
  if (result.verdict === 'illegal') {
    const html = renderVisualization(kvModel, operations, result, {
      title: `${ctx.testName} seed=${ctx.seed}`,
    });
    const htmlPath = write(`${ctx.artifactBase}.html`, html);
    const bad = result.partitions
      .filter((p) => p.verdict === 'illegal')
      .map((p) => JSON.stringify(p.key))
      .join(', ');
    fail(
      'not-linearizable',
      `history is not linearizable (keys ${bad}); visualisation: ${htmlPath}; history: ${historyPath}`,
    );
  }
  const reasons = [
    ...new Set(result.partitions.filter((p) => p.verdict === 'unknown').map((p) => p.reason)),
  ].join(', ');
  fail(
    'checker-budget',
    `linearizability check undecided (${reasons}) after ${steps} search steps ` +
      `(budget ${maxSteps}, RAFTKIT_CHECK_MAX_STEPS): raftkit counts this as a failure; history: ${historyPath}`,
  );
}
