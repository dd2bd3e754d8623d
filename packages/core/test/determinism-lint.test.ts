import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The repository's determinism lint (scripts/lint-determinism.mjs), run on a scratch tree.
const script = join(import.meta.dirname, '../../../scripts/lint-determinism.mjs');
const root = mkdtempSync(join(tmpdir(), 'raftkit-lint-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function lint(files: Record<string, string>) {
  rmSync(join(root, 'packages'), { recursive: true, force: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return spawnSync(process.execPath, [script, root], { encoding: 'utf8' });
}

describe('determinism lint', () => {
  it('flags Date, performance.now, Math.random and global timers in package sources', () => {
    const r = lint({
      'packages/x/src/a.ts': [
        'export const a = Date.now();',
        'export const b = Math.random();',
        'export const c = performance.now();',
        'setTimeout(() => {}, 1);',
      ].join('\n'),
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('packages/x/src/a.ts:1: Date');
    expect(r.stderr).toContain('packages/x/src/a.ts:2: Math.random');
    expect(r.stderr).toContain('packages/x/src/a.ts:3: performance.now');
    expect(r.stderr).toContain('packages/x/src/a.ts:4: global timers');
  });

  it('ignores comments, strings, tests and lines marked determinism-ok', () => {
    const r = lint({
      'packages/x/src/a.ts': [
        '/** Never Date.now() here. */',
        "export const s = 'Math.random';",
        'const t = globalThis.setImmediate; // determinism-ok: the loop itself',
      ].join('\n'),
      'packages/x/test/a.test.ts': 'Math.random();',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
