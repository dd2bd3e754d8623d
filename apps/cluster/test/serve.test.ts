import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { resolveServeConfig, type ServeConfig } from '../src/serve/config.js';
import type { NodeRuntime, NodeView } from '../src/serve/node-runtime.js';
import { startServe } from '../src/serve/run-serve.js';
import { runCli } from './support/run-cli.js';

const flags = {
  nodeId: 'n1',
  peers: 'n1=127.0.0.1:12380,n2=127.0.0.1:22380,n3=127.0.0.1:32380',
  listenClient: '127.0.0.1:0',
  listenPeer: '127.0.0.1:12380',
  dataDir: '/tmp/x',
};

describe('serve config', () => {
  test('flags give a validated config with defaults', () => {
    const c = resolveServeConfig(flags);
    expect(c.peers.map((p) => p.id)).toEqual(['n1', 'n2', 'n3']);
    expect(c.listenClient).toEqual({ host: '127.0.0.1', port: 0 });
    expect(c.security).toEqual({ kind: 'none' });
    expect(c.raft).toMatchObject({ heartbeatIntervalMs: 100, preVote: true, checkQuorum: true });
  });

  test('a config file, overridden by flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'raftkit-serve-config-'));
    try {
      const file = join(dir, 'node.json');
      writeFileSync(
        file,
        JSON.stringify({
          ...flags,
          clusterId: 'prod',
          raft: { heartbeatIntervalMs: 50 },
          snapshotThresholdBytes: 65536,
        }),
      );
      const c = resolveServeConfig({ config: file, nodeId: 'n2' });
      expect([c.nodeId, c.clusterId, c.raft.heartbeatIntervalMs, c.snapshotThresholdBytes]).toEqual(
        ['n2', 'prod', 50, 65536],
      );
      expect(() => resolveServeConfig({ config: join(dir, 'missing.json') })).toThrow(
        /cannot read the config file/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('every rule names what to fix', () => {
    expect(() => resolveServeConfig({ ...flags, nodeId: 'n9' })).toThrow(
      /must be one of the peers/,
    );
    expect(() => resolveServeConfig({ ...flags, nodeId: undefined })).toThrow(
      /--node-id is required/,
    );
    expect(() => resolveServeConfig({ ...flags, listenClient: '0.0.0.0:2379' })).toThrow(
      /beyond loopback needs --secret-file/,
    );
    expect(
      resolveServeConfig({ ...flags, listenClient: '0.0.0.0:2379', secretFile: '/s' }).security
        .kind,
    ).toBe('secret');
    expect(() => resolveServeConfig({ ...flags, heartbeatMs: 400 })).toThrow(
      /at least 3× the heartbeat/,
    );
    expect(() => resolveServeConfig({ ...flags, listenPeer: 'x:99999' })).toThrow(
      /port in 1..65535/,
    );
    expect(() => resolveServeConfig({ ...flags, peers: 'n1=127.0.0.1:1,n1=127.0.0.1:2' })).toThrow(
      /distinct/,
    );
    expect(() => resolveServeConfig({ ...flags, tlsCert: '/c' })).toThrow(/--tls-key is required/);
  });

  test('the CLI refuses a bad config with exit code 2 and the reason', async () => {
    const r = await runCli([
      'serve',
      '--node-id',
      'n1',
      '--peers',
      'n2=127.0.0.1:1',
      '--listen-client',
      '127.0.0.1:1',
      '--listen-peer',
      '127.0.0.1:2',
      '--data-dir',
      '/tmp/x',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/this node \(n1\) must be one of the peers/);
  });
});

/**
 * A stand-in for the assembled node (test/up-raftkit.test.ts runs the real one): it answers
 * gateway requests after `delayMs` and lets a test trigger a fatal storage error at an exact
 * moment.
 */
function testRuntime(delayMs: number) {
  let fail!: (e: Error) => void;
  const view: NodeView = {
    role: 'leader',
    term: 7,
    commitIndex: 42,
    appliedIndex: 41,
    leaderId: 'n1',
    proposals: 5,
    transportDrops: 1,
    transportReconnects: 2,
  };
  let closed = false;
  const runtime: NodeRuntime = {
    handleGateway(req: IncomingMessage, res: ServerResponse) {
      req.resume();
      req.on('end', () =>
        setTimeout(() => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"header":{}}');
        }, delayMs),
      );
    },
    view: () => view,
    fatal: new Promise<Error>((_, reject) => {
      fail = (e) => reject(e);
    }).catch((e: Error) => e),
    async close() {
      closed = true;
    },
  };
  return { runtime, view, fail: (e: Error) => fail(e), isClosed: () => closed };
}

function logSink(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      text += String(chunk);
      cb();
    },
  });
  return {
    stream,
    lines: () =>
      text
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

const config = (): ServeConfig => resolveServeConfig(flags);

describe('serve process', () => {
  test('/health follows the leader, /metrics has Raft and request metrics, other paths reach the gateway', async () => {
    const t = testRuntime(0);
    const log = logSink();
    const h = await startServe(config(), {
      createNode: async () => t.runtime,
      logDestination: log.stream,
    });
    const base = `http://127.0.0.1:${h.clientAddress.port}`;
    try {
      const health = await fetch(`${base}/health`);
      expect([health.status, await health.text()]).toEqual([200, '{"health":"true"}']);
      const put = await fetch(`${base}/v3/kv/put`, { method: 'POST', body: '{}' });
      expect(await put.text()).toBe('{"header":{}}');
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/raftkit_raft_term\{node="n1",cluster="raftkit"\} 7/);
      expect(metrics).toMatch(/raftkit_raft_role\{role="leader",node="n1",cluster="raftkit"\} 1/);
      expect(metrics).toMatch(/raftkit_raft_commit_index\{[^}]*\} 42/);
      expect(metrics).toMatch(/raftkit_transport_reconnects_total\{[^}]*\} 2/);
      expect(metrics).toMatch(/raftkit_request_duration_seconds_count\{[^}]*op="kv_put"[^}]*\} 1/);
      expect(metrics).toMatch(/raftkit_wal_fsync_seconds_bucket/);
      t.view.leaderId = undefined;
      expect((await fetch(`${base}/health`)).status).toBe(503);
    } finally {
      expect(await h.stop('test')).toBe(0);
    }
    expect(log.lines().map((l) => l.msg)).toEqual([
      'serving',
      'stopping: no new connections, answering in-flight requests',
      'stopped',
    ]);
  });

  test('a graceful stop answers the request in flight, closes the node, and exits 0', async () => {
    const t = testRuntime(300);
    const h = await startServe(config(), {
      createNode: async () => t.runtime,
      logDestination: logSink().stream,
    });
    const pending = fetch(`http://127.0.0.1:${h.clientAddress.port}/v3/kv/put`, {
      method: 'POST',
      body: '{}',
    });
    await new Promise((r) => setTimeout(r, 50));
    const code = await h.stop('SIGTERM');
    expect(code).toBe(0);
    expect(await (await pending).text()).toBe('{"header":{}}');
    expect(t.isClosed()).toBe(true);
    await expect(fetch(`http://127.0.0.1:${h.clientAddress.port}/health`)).rejects.toThrow();
  });

  test('a fatal storage error closes client connections at once, logs one fatal line, exits 1', async () => {
    const t = testRuntime(10_000);
    const log = logSink();
    const h = await startServe(config(), {
      createNode: async () => t.runtime,
      logDestination: log.stream,
    });
    const pending = fetch(`http://127.0.0.1:${h.clientAddress.port}/v3/kv/put`, {
      method: 'POST',
      body: '{}',
    });
    await new Promise((r) => setTimeout(r, 50));
    t.fail(new Error('fdatasync: EIO'));
    expect(await h.exited).toBe(1);
    await expect(pending).rejects.toThrow(); // never acknowledged
    const fatal = log.lines().filter((l) => l.level === 60);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]!.msg).toMatch(/fatal storage error.*fdatasync: EIO/);
  });

  test('a node that cannot start is one fatal log line and a rejection', async () => {
    const log = logSink();
    await expect(
      startServe(config(), {
        createNode: async () => {
          throw new Error('data dir is locked by pid 1');
        },
        logDestination: log.stream,
      }),
    ).rejects.toThrow(/locked/);
    expect(log.lines()).toMatchObject([
      { level: 60, msg: 'cannot start: data dir is locked by pid 1' },
    ]);
  });
});
