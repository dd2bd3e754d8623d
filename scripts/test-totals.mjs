#!/usr/bin/env node
// Sums vitest's "Tests  N failed | M passed | K skipped (T)" summary lines.
// As a module: `tallyVitest()` accumulates streamed output. As a command:
// `node scripts/test-totals.mjs <log>` prints "tests: P passed, F failed, S skipped".
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function tallyVitest() {
  let pending = '';
  const totals = { passed: 0, failed: 0, skipped: 0 };
  const line = (text) => {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes (ESC [ … m).
    const m = /\bTests\s+(.*)\(\d+\)\s*$/.exec(text.replace(/\x1b\[[0-9;]*m/g, ''));
    if (m === null) return;
    for (const [, n, kind] of m[1].matchAll(/(\d+)\s+(passed|failed|skipped|todo)/g)) {
      totals[kind === 'todo' ? 'skipped' : kind] += Number(n);
    }
  };
  return {
    add(chunk) {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const l of lines) line(l);
    },
    result() {
      if (pending !== '') line(pending);
      pending = '';
      return { ...totals };
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const tally = tallyVitest();
  tally.add(readFileSync(process.argv[2] ?? 0, 'utf8'));
  const { passed, failed, skipped } = tally.result();
  console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
}
