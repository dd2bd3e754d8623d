import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { GatewayClient } from '../src/client/gateway-client.js';
import { get, put } from '../src/client/kv.js';
import { freePorts } from '../src/util/free-ports.js';
import { requireEtcd } from './support/etcd-cluster.js';
import { exited, startUpCli } from './support/up-run.js';

// `raftkit up` end to end with etcd members as the engine (test/up-raftkit.test.ts: raftkit nodes).
const startUp = startUpCli;
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
