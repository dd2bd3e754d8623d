import { renderTable } from '../client/format.js';
import type { BenchResult } from './run-bench.js';

const fmt = (x: number | null | undefined) => (x === null || x === undefined ? '-' : x.toFixed(2));

/** The human summary of a run: one row per op kind plus a total row. */
export function benchTable(r: BenchResult): string {
  const rows = Object.entries(r.byOp).map(([op, s]) => [
    op,
    Math.round(s.opsPerSec).toLocaleString('en-US'),
    fmt(s.p50Ms),
    fmt(s.p90Ms),
    fmt(s.p99Ms),
    fmt(s.maxMs),
    String(s.errors),
  ]);
  if (rows.length > 1) {
    rows.push([
      'all',
      Math.round(r.opsPerSec).toLocaleString('en-US'),
      fmt(r.p50Ms),
      fmt(r.p90Ms),
      fmt(r.p99Ms),
      fmt(r.maxMs),
      String(r.errors),
    ]);
  }
  const head = `${r.clients} clients, ${r.measuredSec.toFixed(1)} s measured after ${r.warmup} s warm-up, ${r.keys} keys, ${r.valueBytes}-byte values, target ${r.target} (${r.leader}, server ${r.version})`;
  const tail = [
    `load generator ${r.loadgenCores.toFixed(2)} cores`,
    r.serverCores != null ? `servers ${r.serverCores.toFixed(2)} cores` : '',
    r.otherCores != null ? `other ${r.otherCores.toFixed(2)} cores` : '',
    r.getMisses > 0 ? `${r.getMisses} gets missed a preloaded key` : '',
  ].filter((s) => s !== '');
  const table = renderTable(
    ['OP', 'OPS/S', 'P50 MS', 'P90 MS', 'P99 MS', 'MAX MS', 'ERRORS'],
    rows,
  );
  const samples = r.errorSamples
    ? `\nerrors seen:\n${Object.entries(r.errorSamples)
        .map(([m, n]) => `  ${n} × ${m}`)
        .join('\n')}`
    : '';
  return `${head}\n${table}\n${tail.join(', ')}${samples}`;
}
