import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { endpointStatus } from '../src/client/cluster-info.js';
import { GatewayClient } from '../src/client/gateway-client.js';
import { get, put } from '../src/client/kv.js';
import { freePorts } from '../src/util/free-ports.js';
import { eventually, exited, startUpCli } from './support/up-run.js';

// The "Done when": `raftkit up` with three raftkit nodes (real processes, loopback TCP,
// WAL on disk), a write through one node and a read through another over the gateway, SIGKILL
// of the leader, a new leader serving writes, the killed node restarted from its data dir and
// caught up, then everything stopped by pid. Also: `up` again on the same folder brings the
// data back.
const dir = mkdtempSync(join(tmpdir(), 'raftkit-up-raftkit-'));
const started: ChildProcess[] = [];
afterAll(() => {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const alive = (pid: number) =>
  existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');

describe('raftkit up (raftkit engine)', () => {
  test('3 nodes: write here, read there, SIGKILL the leader, new leader takes writes, the killed node restarts from its data dir and catches up', async () => {
    const t0 = performance.now();
    const ports = await freePorts(6);
    const args = [
      '--client-ports',
      ports.slice(0, 3).join(','),
      '--peer-ports',
      ports.slice(3).join(','),
      '--data-dir',
      join(dir, 'data'),
    ];
    const up = startUpCli(args);
    started.push(up.child);
    const nodes = [await up.next('node'), await up.next('node'), await up.next('node')];
    const ready = await up.next('ready');
    expect(ready.restarted).toBe(false);
    const node = (id: string) => nodes.find((n) => n.id === id)!;
    const client = (id: string) =>
      new GatewayClient({ endpoints: [new URL(node(id).clientUrl as string)], timeoutMs: 3000 });
    const leader = ready.leader as string;
    const [f1, f2] = nodes.map((n) => n.id as string).filter((id) => id !== leader) as [
      string,
      string,
    ];

    // Through a follower (forwarded to the leader), read back linearizably through the other.
    await put(client(f1), 'greeting', 'hello');
    expect((await get(client(f2), 'greeting')).kvs[0]?.value).toBe('hello');

    process.kill(node(leader).pid as number, 'SIGKILL');
    expect((await up.next('exit')).id).toBe(leader);
    await eventually(() => put(client(f1), 'greeting', 'after-failover'));
    const [s1, s2] = await Promise.all(
      [f1, f2].map((id) => endpointStatus(client(id), new URL(node(id).clientUrl as string))),
    );
    expect([s1!.id, s2!.id]).toContain(s2!.leader); // the new leader is a survivor
    expect((await get(client(f2), 'greeting')).kvs[0]?.value).toBe('after-failover');
    for (let i = 0; i < 20; i++) await put(client(f2), `k${i}`, `v${i}`);

    // Restart just the killed node, with its own command line, on its data dir.
    const [command, ...argv] = node(leader).argv as string[];
    const logFd = openSync(join(dir, `${leader}-restart.log`), 'a');
    const again = spawn(command!, argv, { stdio: ['ignore', logFd, logFd] });
    closeSync(logFd);
    started.push(again);
    const caughtUp = await eventually(async () => {
      const r = await get(client(leader), 'k19', { serializable: true });
      if (r.kvs[0]?.value !== 'v19') throw new Error(`not caught up: ${JSON.stringify(r.kvs)}`);
      return (await get(client(leader), 'greeting', { serializable: true })).kvs[0]?.value;
    });
    expect(caughtUp).toBe('after-failover');

    // Stop everything by pid: the restarted node (SIGTERM: graceful, exit 0), then `up`.
    again.kill('SIGTERM');
    expect(await exited(again)).toBe(0);
    up.child.kill('SIGINT');
    await up.next('stopped');
    expect(await exited(up.child)).toBe(0);
    for (const n of nodes) expect(alive(n.pid as number)).toBe(false);

    // `up` on the same folder: the same cluster, with its data.
    const back = startUpCli(args);
    started.push(back.child);
    expect((await back.next('ready')).restarted).toBe(true);
    const backNodes = back.events.filter((e) => e.event === 'node');
    expect((await eventually(() => get(client(f2), 'k7'))).kvs[0]?.value).toBe('v7');
    back.child.kill('SIGTERM');
    expect(await exited(back.child)).toBe(0);
    for (const n of backNodes) expect(alive(n.pid as number)).toBe(false);
    console.log(`up-raftkit: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }, 90_000);
});
