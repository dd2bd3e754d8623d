import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * Three Raft peers in three Node processes, talking over TcpTransport on
 * loopback. The leader's process is killed with SIGKILL; the two survivors
 * elect a new leader that commits a new command. Every child is killed by
 * its pid at the end.
 */

interface Status {
  me: number;
  role: string;
  term: number;
  commitIndex: number;
}

interface Node {
  child: ChildProcess;
  port: number;
  status?: Status;
  applied: { index: number; command: unknown }[];
  alive: boolean;
}

const N = 3;
const fixture = join(import.meta.dirname, 'fixtures', 'raft-node.mjs');
const children: ChildProcess[] = [];

afterEach(async () => {
  await Promise.all(
    children.splice(0).map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
});

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const start = performance.now();
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function spawnNode(i: number): Promise<Node> {
  return new Promise((resolve, reject) => {
    const child = fork(fixture, [], {
      env: { ...process.env, RAFT_ID: String(i), RAFT_PEERS: String(N) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(child);
    const node: Node = { child, port: 0, applied: [], alive: true };
    child.on('message', (msg: { type: string } & Record<string, unknown>) => {
      if (msg.type === 'listening') {
        node.port = msg.port as number;
        resolve(node);
      } else if (msg.type === 'status') node.status = msg as unknown as Status;
      else if (msg.type === 'applied')
        node.applied.push({ index: msg.index as number, command: msg.command });
    });
    child.once('exit', () => {
      node.alive = false;
    });
    child.once('error', reject);
  });
}

function leaderOf(nodes: Node[], aboveTerm = 0): Node | undefined {
  const leaders = nodes.filter(
    (n) => n.alive && n.status?.role === 'leader' && n.status.term > aboveTerm,
  );
  return leaders.length === 1 ? leaders[0] : undefined;
}

describe('three Raft peers in three processes over TCP', () => {
  it('SIGKILL of the leader: the survivors elect a new leader, which commits', async () => {
    expect(
      existsSync(join(import.meta.dirname, '..', 'dist', 'index.js')),
      'build the package first (dist/)',
    ).toBe(true);
    const nodes = await Promise.all(Array.from({ length: N }, (_, i) => spawnNode(i)));
    const ports = nodes.map((n) => n.port);
    for (const n of nodes) n.child.send({ type: 'peers', ports });

    const first = await until('a first leader', () => leaderOf(nodes));
    first.child.send({ type: 'start', command: 'before-kill' });
    await until('every peer applies the first command', () =>
      nodes.every((n) => n.applied.some((a) => a.command === 'before-kill')) ? true : undefined,
    );
    const firstTerm = first.status!.term;

    first.child.kill('SIGKILL');
    await until('the leader process to die', () => (first.alive ? undefined : true));
    const survivors = nodes.filter((n) => n !== first);
    const second = await until('a new leader among the survivors', () =>
      leaderOf(survivors, firstTerm),
    );
    expect(second).not.toBe(first);
    second.child.send({ type: 'start', command: 'after-kill' });
    await until('both survivors apply the new command', () =>
      survivors.every((n) => n.applied.some((a) => a.command === 'after-kill')) ? true : undefined,
    );
    for (const n of survivors) {
      const before = n.applied.find((a) => a.command === 'before-kill')!;
      const after = n.applied.find((a) => a.command === 'after-kill')!;
      expect(after.index).toBeGreaterThan(before.index);
    }
    console.log(
      `three processes: leader ${first.status!.me} (term ${firstTerm}) killed; ` +
        `new leader ${second.status!.me} in term ${second.status!.term} committed index ` +
        `${survivors[0]!.applied.find((a) => a.command === 'after-kill')!.index}`,
    );
  });
});
