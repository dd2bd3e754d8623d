import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const here = join(import.meta.dirname, '..');
const root = join(here, '../..');

// `pnpm pack` of labrpc and persister (which depends on labrpc) install into an
// empty npm project from the tarballs alone, and import and work there.
it('packed tarballs install into an empty npm project and import', { timeout: 240_000 }, () => {
  const work = mkdtempSync(join(tmpdir(), 'raftkit-pack-'));
  try {
    const pnpm = (cwd: string, ...args: string[]) =>
      execFileSync('node', [join(root, 'scripts/pnpm.mjs'), ...args], { cwd, stdio: 'pipe' });
    pnpm(join(root, 'packages/labrpc'), 'pack', '--pack-destination', work);
    pnpm(here, 'pack', '--pack-destination', work);
    const tarballs = readdirSync(work).filter((f) => f.endsWith('.tgz'));
    expect(tarballs).toHaveLength(2);
    const project = join(work, 'app');
    execFileSync('mkdir', ['-p', project]);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'app', private: true, type: 'module' }),
    );
    execFileSync(
      'npm',
      ['install', '--no-audit', '--no-fund', ...tarballs.map((t) => join(work, t))],
      {
        cwd: project,
        stdio: 'pipe',
      },
    );
    writeFileSync(
      join(project, 'check.mjs'),
      `import { Simulation, SimNetwork, msgpackCodec } from '@raftkit/labrpc';
import { MemoryPersister } from '@raftkit/persister';
const sim = new Simulation({ seed: 1, printTrace: false });
new SimNetwork(sim);
const p = new MemoryPersister();
p.save({ append: { firstIndex: 1, entries: [{ term: 1, command: 'x' }] } });
console.log(JSON.stringify({ ok: msgpackCodec.decode(msgpackCodec.encode([1])).length === 1, entries: p.load().entries.length }));
`,
    );
    const out = execFileSync('node', ['check.mjs'], { cwd: project, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ ok: true, entries: 1 });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
