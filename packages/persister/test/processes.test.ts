import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiskPersister } from '../src/index.js';
import { buildPrivate, packageRoot } from './built.js';

/**
 * Real sync failures on a real process: libfiu's fiu-run preloads into Node
 * and makes fdatasync(2), pwrite(2) and pwritev(2) (called by libuv on its
 * thread pool) fail with EIO once the test arms the failure points through
 * fiu-ctrl. On Linux the WAL's group commit is one pwritev on an O_DSYNC
 * descriptor (its write and its sync in one call), so a failing sync shows up
 * there; the fdatasync point covers the segment's other syncs. The "node"
 * must never acknowledge the save whose sync failed, fail every later save,
 * and restart clean with everything it acknowledged.
 */
type Line = { event: string; [key: string]: unknown };

const FIXTURE = join(packageRoot, 'test/fixtures/wal-node.mjs');
let build: { dir: string; remove(): void };
let dataDir: string;
const children: ChildProcess[] = [];

function run(
  args: string[],
  onLine: (line: Line, child: ChildProcess) => void,
): Promise<{ code: number | null; lines: Line[] }> {
  const child = spawn(args[0]!, args.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const lines: Line[] = [];
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += String(d);
  });
  createInterface({ input: child.stdout! }).on('line', (text) => {
    const line = JSON.parse(text) as Line;
    lines.push(line);
    onLine(line, child);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} did not finish in 60 s; stderr: ${stderr}`));
    }, 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (stderr !== '') console.log(`stderr of ${args[0]}: ${stderr}`);
      resolve({ code, lines });
    });
  });
}

beforeAll(() => {
  // Installs Debian's fiu-utils when missing; throws (failing the test) when it cannot.
  execFileSync('bash', [join(packageRoot, 'scripts/install-fiu.sh')], { stdio: 'inherit' });
  build = buildPrivate();
  dataDir = mkdtempSync(join(tmpdir(), 'raftkit-fiu-'));
}, 300_000);

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  build?.remove();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
});

describe('write and sync failures injected with libfiu (fiu-run)', () => {
  it('the node never acknowledges the save whose durable write failed, fails every later one, and restarts clean', async () => {
    let armed = false;
    const first = await run(
      ['fiu-run', '-x', process.execPath, FIXTURE, build.dir, dataDir, '400'],
      (line, child) => {
        if (line.event === 'ack' && line.index === 20 && !armed) {
          armed = true;
          // Arm the failure point in the running process (its pid: fiu-run execs node).
          for (const point of ['sync/fdatasync', 'rw/pwrite', 'rw/pwritev']) {
            try {
              execFileSync('fiu-ctrl', [
                '-c',
                `enable name=posix/io/${point},failinfo=5`,
                String(child.pid),
              ]);
            } catch (error) {
              // A point armed before already failed a write and the node exited: its control
              // pipe has no reader any more. The assertions below check what it did.
              if ((error as { signal?: string }).signal === 'SIGPIPE') break;
              throw error;
            }
          }
        }
      },
    );
    expect(armed).toBe(true);
    expect(first.code).toBe(3);
    const acks = first.lines.filter((l) => l.event === 'ack').map((l) => l.index as number);
    const fail = first.lines.find((l) => l.event === 'fail')!;
    expect(fail).toMatchObject({ code: 'STORAGE_FAILED', cause: 'EIO' });
    const failedIndex = fail.index as number;
    console.log(
      `acknowledged 1..${acks[acks.length - 1]}, the durable write failed on the save of ${failedIndex}`,
    );
    expect(acks).toEqual(Array.from({ length: failedIndex - 1 }, (_, i) => i + 1));
    expect(first.lines.some((l) => l.event === 'ack' && l.index === failedIndex)).toBe(false);
    expect(first.lines.find((l) => l.event === 'fail-again')).toMatchObject({
      code: 'STORAGE_FAILED',
    });
    expect(first.lines.some((l) => l.event === 'ack-after-failure')).toBe(false);

    // Restart without fault injection: the stale lock is taken over, recovery finds every
    // acknowledged entry (and at most the unacknowledged one, whose write reached the page cache).
    const second = await run([process.execPath, FIXTURE, build.dir, dataDir, '3'], () => {});
    expect(second.code).toBe(0);
    const open = second.lines[0]!;
    expect(open.event).toBe('open');
    expect(open.lastIndex as number).toBeGreaterThanOrEqual(failedIndex - 1);
    expect(open.lastIndex as number).toBeLessThanOrEqual(failedIndex);
    expect(second.lines.filter((l) => l.event === 'ack')).toHaveLength(3);
    expect(readdirSync(dataDir).filter((n) => n.endsWith('.broken'))).toEqual([]);
  });
});

describe('the data directory lock across processes', () => {
  it('a second process is refused while this one holds the directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'raftkit-lock-'));
    try {
      const p = await DiskPersister.open({ dir });
      const other = await run([process.execPath, FIXTURE, build.dir, dir, '1'], () => {});
      expect(other.code).toBe(2);
      expect(other.lines[0]).toMatchObject({ event: 'open-failed', code: 'DATA_DIR_LOCKED' });
      expect(other.lines[0]!.message).toContain(`in use by ${process.pid}`);
      await p.close();
      const after = await run([process.execPath, FIXTURE, build.dir, dir, '1'], () => {});
      expect(after.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
