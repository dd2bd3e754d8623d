import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { HistoryOp } from '../src/torture/history.js';
import { HistoryRecorder } from '../src/torture/history.js';
import { ProcessManager } from '../src/torture/process-manager.js';
import { checkHistory, missingAcknowledged } from '../src/torture/verdict.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'raftkit-pm-test-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A node process that prints its pid and the signals it gets, and lives until told. */
const NODE_SCRIPT = `
console.log('up ' + process.pid);
process.on('SIGTERM', () => { console.log('term'); process.exit(0); });
setInterval(() => {}, 1000);
`;

function procState(pid: number): string {
  return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.slice(0, 1);
}

async function until(check: () => boolean, boundMs = 5000): Promise<void> {
  const end = performance.now() + boundMs;
  while (!check()) {
    if (performance.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('ProcessManager', () => {
  test('start, SIGSTOP/SIGCONT, kill -9, restart, graceful stop; logs appended across restarts', async () => {
    const dir = tempDir();
    const pm = new ProcessManager(
      [
        {
          id: 'a',
          command: process.execPath,
          args: ['-e', NODE_SCRIPT],
          clientUrl: '',
          peerUrl: '',
          dataDir: dir,
        },
      ],
      join(dir, 'logs'),
    );
    const pid1 = pm.start('a');
    await until(() => readFileSync(pm.logPath('a'), 'utf8').includes(`up ${pid1}`));
    pm.pause('a');
    await until(() => procState(pid1) === 'T');
    expect(pm.state('a')).toBe('paused');
    pm.resume('a');
    await until(() => procState(pid1) !== 'T');
    await pm.kill('a');
    expect(pm.state('a')).toBe('down');
    expect(existsSync(`/proc/${pid1}`)).toBe(false);
    const pid2 = pm.start('a');
    expect(pid2).not.toBe(pid1);
    await until(() => readFileSync(pm.logPath('a'), 'utf8').includes(`up ${pid2}`));
    expect(await pm.terminate('a', 3000)).toBe(true);
    const log = readFileSync(pm.logPath('a'), 'utf8');
    expect(log).toContain(`up ${pid1}`);
    expect(log).toContain('term');
    expect(pm.unexpectedExits()).toEqual([]);
    expect(pm.events.map((e) => e.event)).toEqual([
      'start',
      'pause',
      'resume',
      'kill',
      'exit',
      'start',
      'terminate',
      'exit',
    ]);
    await pm.stopAll();
  });

  test('a process that exits by itself is reported; a paused process is still stopped', async () => {
    const dir = tempDir();
    const pm = new ProcessManager(
      [
        {
          id: 'crash',
          command: process.execPath,
          args: ['-e', 'process.exit(7)'],
          clientUrl: '',
          peerUrl: '',
          dataDir: dir,
        },
        {
          id: 'stuck',
          command: process.execPath,
          args: ['-e', NODE_SCRIPT],
          clientUrl: '',
          peerUrl: '',
          dataDir: dir,
        },
      ],
      join(dir, 'logs'),
    );
    pm.start('crash');
    const stuck = pm.start('stuck');
    await until(() => pm.state('crash') === 'down');
    expect(pm.unexpectedExits()).toMatchObject([{ node: 'crash', code: 7, expected: false }]);
    await until(() => readFileSync(pm.logPath('stuck'), 'utf8').includes('up'));
    pm.pause('stuck');
    await pm.stopAll(3000);
    expect(existsSync(`/proc/${stuck}`)).toBe(false);
  });
});

describe('torture verdicts', () => {
  test('an illegal history is reported with its key and a visualisation', () => {
    const dir = tempDir();
    const ops: HistoryOp[] = [
      { client: 0, input: { op: 'put', key: 'k', value: 'a' }, call: 0, output: {}, return: 10 },
      { client: 1, input: { op: 'get', key: 'k' }, call: 20, output: { value: 'a' }, return: 30 },
      { client: 2, input: { op: 'get', key: 'k' }, call: 40, output: { value: '' }, return: 50 },
    ];
    const out = checkHistory(ops, dir, 10_000);
    expect(out.verdict).toBe('illegal');
    expect(out.failingKey).toBe('k');
    expect(readFileSync(out.htmlPath!, 'utf8')).toContain('<html');
  });

  test('a write with an unknown outcome may or may not have happened', () => {
    const rec = new HistoryRecorder();
    const c = rec.newClient();
    rec.begin(c, { op: 'put', key: 'k', value: 'x' }).unknown();
    rec.begin(rec.newClient(), { op: 'get', key: 'k' }).ok({ value: 'x' });
    rec.begin(rec.newClient(), { op: 'get', key: 'j' }).drop();
    expect(rec.counts()).toEqual({ total: 2, ok: 1, unknown: 1 });
    expect(checkHistory(rec.ops, tempDir(), 10_000).verdict).toBe('ok');
  });

  test('missing acknowledged writes are listed with what was found', () => {
    const acked = new Map([
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
    ]);
    const found = new Map([
      ['a', '1'],
      ['b', 'other'],
    ]);
    expect(missingAcknowledged(acked, found)).toEqual([
      { key: 'b', expected: '2', found: 'other' },
      { key: 'c', expected: '3', found: undefined },
    ]);
  });
});
