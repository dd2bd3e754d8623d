import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, test } from 'vitest';
import { GatewayClient } from '../src/client/gateway-client.js';
import { get, put } from '../src/client/kv.js';
import { freePorts } from '../src/util/free-ports.js';
import { requireEtcd } from './support/etcd-cluster.js';
import { CLI } from './support/run-cli.js';

// `raftkit up` end to end with etcd members as the engine (raftkit's own node needs the TCP
// transport and the disk persister; the same test runs with --engine raftkit once they exist).
interface UpRun {
  child: ChildProcess;
  events: Record<string, unknown>[];
  next(event: string, boundMs?: number): Promise<Record<string, unknown>>;
}

function startUp(args: string[]): UpRun {
  const child = spawn(process.execPath, [CLI, 'up', '--json', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const events: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    events.push(JSON.parse(line) as Record<string, unknown>);
    for (const w of waiters.splice(0)) w();
  });
  let seen = 0;
  return {
    child,
    events,
    async next(event, boundMs = 30_000) {
      const end = performance.now() + boundMs;
      for (;;) {
        const i = events.findIndex((e, k) => k >= seen && e.event === event);
        if (i >= 0) {
          seen = i + 1;
          return events[i]!;
        }
        if (performance.now() > end)
          throw new Error(`no "${event}" line within ${boundMs} ms; got ${JSON.stringify(events)}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 200);
        });
      }
    },
  };
}

const exited = (c: ChildProcess) =>
  new Promise<number | null>((r) =>
    c.exitCode !== null ? r(c.exitCode) : c.once('exit', (code) => r(code)),
  );
const dir = mkdtempSync(join(tmpdir(), 'raftkit-up-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('raftkit up (etcd engine)', () => {
  test('write through one node, read through another, SIGKILL the leader, a new leader serves writes; restart on the same data dir brings the killed node back caught up', async () => {
    requireEtcd();
    const ports = await freePorts(6);
    const portArgs = [
      '--client-ports',
      ports.slice(0, 3).join(','),
      '--peer-ports',
      ports.slice(3).join(','),
      '--data-dir',
      join(dir, 'data'),
      '--engine',
      'etcd',
    ];
    const up = startUp(portArgs);
    const nodes = [await up.next('node'), await up.next('node'), await up.next('node')];
    const ready = await up.next('ready');
    expect(ready.restarted).toBe(false);
    const url = (id: string) => new URL(nodes.find((n) => n.id === id)!.clientUrl as string);
    const ids = nodes.map((n) => n.id as string);
    const leader = ready.leader as string;
    const followers = ids.filter((id) => id !== leader);

    const client = (id: string) => new GatewayClient({ endpoints: [url(id)], timeoutMs: 3000 });
    await put(client(followers[0]!), 'greeting', 'hello');
    expect((await get(client(followers[1]!), 'greeting')).kvs[0]?.value).toBe('hello');

    process.kill(nodes.find((n) => n.id === leader)!.pid as number, 'SIGKILL');
    const gone = await up.next('exit');
    expect(gone.id).toBe(leader);
    // A new leader among the survivors takes writes (retry while it is elected).
    let written = false;
    for (let i = 0; i < 100 && !written; i++) {
      try {
        await put(client(followers[0]!), 'greeting', 'after-failover');
        written = true;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    expect(written).toBe(true);
    expect((await get(client(followers[1]!), 'greeting')).kvs[0]?.value).toBe('after-failover');

    up.child.kill('SIGINT');
    await up.next('stopped');
    expect(await exited(up.child)).toBe(0);
    for (const n of nodes) expect(existsSync(`/proc/${n.pid as number}`)).toBe(false);
    expect(readFileSync(join(dir, 'data', 'logs', `${leader}.log`), 'utf8')).toContain(
      'raftkit process manager: start',
    );

    // Same data dir: the same cluster comes back, and the node killed earlier has caught up.
    const again = startUp(portArgs);
    expect((await again.next('ready')).restarted).toBe(true);
    let caughtUp = '';
    for (let i = 0; i < 100 && caughtUp !== 'after-failover'; i++) {
      const r = await get(client(leader), 'greeting', { serializable: true }).catch(
        () => undefined,
      );
      caughtUp = r?.kvs[0]?.value ?? '';
      if (caughtUp !== 'after-failover') await new Promise((r2) => setTimeout(r2, 100));
    }
    expect(caughtUp).toBe('after-failover');
    again.child.kill('SIGTERM');
    expect(await exited(again.child)).toBe(0);
  }, 120_000);
});
