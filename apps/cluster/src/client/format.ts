/** How a client verb prints its answer (etcdctl's `-w`). */
export type OutputFormat = 'simple' | 'json' | 'table';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['simple', 'json', 'table'];

/** A boxed text table like etcdctl's `-w table`. Cells are plain strings. */
export function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const row = (cells: readonly string[]) =>
    `|${widths.map((w, i) => ` ${(cells[i] ?? '').padEnd(w)} `).join('|')}|`;
  return [line, row(header), line, ...rows.map(row), line].join('\n');
}

/** Bytes as etcdctl shows them: "20 kB", "1.2 MB" (SI units). */
export function humanBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u += 1;
  }
  return `${u === 0 ? String(v) : v.toFixed(v >= 10 ? 0 : 1)} ${units[u]}`;
}
