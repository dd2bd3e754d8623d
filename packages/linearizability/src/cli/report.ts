import type { CheckResult } from '../result.js';
import type { LoadedHistory } from './read-history.js';

function describeVerdict(result: CheckResult<unknown>): string {
  if (result.verdict === 'ok') return 'ok (linearizable)';
  if (result.verdict === 'illegal') return 'illegal (not linearizable)';
  const reasons = new Set(
    result.partitions.filter((p) => p.verdict === 'unknown').map((p) => p.reason),
  );
  return `unknown (${[...reasons].join(', ')})`;
}

/** What to do about an undecided partition, by reason. */
const remedy: Record<string, string> = {
  'memory-limit': 'raise --memory (e.g. --memory 80%), or split the history',
  timeout: 'raise --timeout (ms; 0 for no limit)',
  'step-limit': 'raise --max-steps',
  'cache-limit': 'raise or drop --max-cache',
  aborted: '',
};

/** The text report of one checked file. */
export function report(
  name: string,
  history: LoadedHistory,
  result: CheckResult<unknown>,
  parseMs: number,
): string {
  const lines = [`${name}: ${describeVerdict(result)}`];
  const { model } = history;
  lines.push(
    `  ${result.operations} operations, ${result.partitions.length} partition(s), model ${model.name}, format ${history.format}`,
    `  parse ${parseMs.toFixed(1)} ms, check ${result.elapsedMs.toFixed(1)} ms`,
  );
  for (const p of result.partitions) {
    if (p.verdict === 'illegal') {
      const op = history.operations[p.failedAt];
      const what =
        op === undefined
          ? ''
          : model.describeOperation
            ? model.describeOperation(op.input, op.return === null ? undefined : op.output)
            : JSON.stringify(op.input);
      lines.push(
        `  partition ${p.key}: illegal; longest linearizable prefix ${p.linearization.length} of ${p.operations.length}; fails at operation #${p.failedAt}${what ? ` (${what})` : ''}`,
      );
    } else if (p.verdict === 'unknown' && p.reason !== 'skipped') {
      const fix = p.detail?.includes('V8 heap')
        ? 'raise the heap: NODE_OPTIONS=--max-old-space-size=<MB> raftkit-check …'
        : remedy[p.reason ?? ''];
      lines.push(
        `  partition ${p.key}: unknown (${p.reason}${p.detail ? `: ${p.detail}` : ''})${fix ? `; to decide it, ${fix}` : ''}`,
      );
    }
  }
  const skipped = result.partitions.filter((p) => p.reason === 'skipped').length;
  if (skipped > 0)
    lines.push(`  ${skipped} partition(s) not checked after the first illegal one (use --explain)`);
  return `${lines.join('\n')}\n`;
}
