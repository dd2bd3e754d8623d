import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GatewayClient } from '../src/client/gateway-client.js';
import { loadTlsFlags } from '../src/client/tls-options.js';
import { loadClientTls } from '../src/serve/client-tls.js';
import { resolveServeConfig } from '../src/serve/config.js';
import { startServe } from '../src/serve/run-serve.js';
import { freePorts } from '../src/util/free-ports.js';
import { makeTestPki, type TestPki } from '../../../scripts/test-support/test-pki.js';
import { CLI, runCli } from './support/run-cli.js';
import { eventually, exited } from './support/up-run.js';

// HTTPS on the client listener of `raftkit serve` and the verbs' --cacert/--cert/--key, against
// two real single-member nodes on loopback: `tls` (server certificate only) and `mtls` (client
// certificates required). Every node is stopped by its own pid.
const dir = mkdtempSync(join(tmpdir(), 'raftkit-client-tls-'));
let pki: TestPki;
const nodes: { name: string; child: ChildProcess; url: string }[] = [];
const url = (name: 'tls' | 'mtls') => nodes.find((n) => n.name === name)!.url;
const stackTrace = /\n\s+at /;

async function startNode(name: 'tls' | 'mtls'): Promise<void> {
  const [client, peer] = (await freePorts(2)) as [number, number];
  const server = pki.cert('server', { ips: ['127.0.0.1'] });
  const clientUrl = `https://127.0.0.1:${client}`;
  const log = openSync(join(dir, `${name}.log`), 'a');
  const child = spawn(
    process.execPath,
    [
      CLI,
      'serve',
      '--node-id',
      'n1',
      '--peers',
      `n1=127.0.0.1:${peer}`,
      '--listen-client',
      `127.0.0.1:${client}`,
      '--listen-peer',
      `127.0.0.1:${peer}`,
      '--client-urls',
      `n1=${clientUrl}`,
      '--data-dir',
      join(dir, name),
      '--client-tls-cert',
      server.certFile,
      '--client-tls-key',
      server.keyFile,
      ...(name === 'mtls' ? ['--client-tls-ca', pki.caFile] : []),
      '--election-timeout-min-ms',
      '150',
      '--election-timeout-max-ms',
      '300',
      '--heartbeat-ms',
      '50',
    ],
    { stdio: ['ignore', log, log] },
  );
  closeSync(log);
  nodes.push({ name, child, url: clientUrl });
}

beforeAll(async () => {
  pki = makeTestPki();
  await Promise.all([startNode('tls'), startNode('mtls')]);
  // Ready once each answers /health with a leader, over HTTPS with the cluster's CA.
  const me = pki.cert('client');
  const tls = {
    ca: readFileSync(pki.caFile),
    cert: readFileSync(me.certFile),
    key: readFileSync(me.keyFile),
  };
  for (const node of nodes) {
    const client = new GatewayClient({ endpoints: [new URL(node.url)], timeoutMs: 1000, tls });
    try {
      await eventually(async () => {
        if (node.child.exitCode !== null)
          throw new Error(`${node.name} exited: ${readFileSync(join(dir, `${node.name}.log`))}`);
        const r = await client.get('/health');
        if (r.status !== 200) throw new Error(`${node.name}: ${r.status} ${r.body}`);
      });
    } finally {
      client.close();
    }
  }
}, 30_000);

afterAll(async () => {
  for (const { child } of nodes) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const code = await Promise.race([
        exited(child),
        new Promise((r) => setTimeout(() => r('slow'), 5000)),
      ]);
      if (code === 'slow') child.kill('SIGKILL');
      else expect(code).toBe(0);
    }
  }
  pki?.remove();
  rmSync(dir, { recursive: true, force: true });
});

describe('HTTPS client listener', () => {
  test('put and get over HTTPS with --cacert; member list advertises the https URL', async () => {
    const ep = ['--endpoints', url('tls'), '--cacert', pki.caFile];
    const put = await runCli(['put', 'greeting', 'over-tls', ...ep]);
    expect([put.code, put.stdout, put.stderr]).toEqual([0, 'OK\n', '']);
    const [get, members] = await Promise.all([
      runCli(['get', 'greeting', ...ep]),
      runCli(['member', 'list', '-w', 'json', ...ep]),
    ]);
    expect([get.code, get.stdout]).toEqual([0, 'greeting\nover-tls\n']);
    const list = JSON.parse(members.stdout) as { members: { clientUrls: string[] }[] };
    expect(list.members.map((m) => m.clientUrls)).toEqual([[url('tls')]]);
  });

  test('plain HTTP to the HTTPS port, and a client that does not trust the CA, fail with one clear line and exit 1', async () => {
    const [plain, untrusted, stranger] = await Promise.all([
      runCli(['get', 'greeting', '--endpoints', url('tls').replace('https:', 'http:')]),
      runCli(['get', 'greeting', '--endpoints', url('tls')]),
      runCli(['get', 'greeting', '--endpoints', url('tls'), '--cacert', pki.strangerCaFile]),
    ]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^Error: http:\/\/127\.0\.0\.1:\d+: .*use an https:\/\/ endpoint/);
    for (const r of [untrusted, stranger]) {
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /^Error: https:\/\/127\.0\.0\.1:\d+: the server's certificate is not trusted \(.*\); pass the CA that signed it with --cacert\n$/,
      );
    }
    for (const r of [plain, untrusted, stranger]) expect(r.stderr).not.toMatch(stackTrace);
  });

  test('with --client-tls-ca: no client certificate or one from another CA is refused; one from that CA is served (verbs and bench)', async () => {
    const mine = pki.cert('client');
    const theirs = pki.cert('client', { ca: 'stranger' });
    const ep = ['--endpoints', url('mtls'), '--cacert', pki.caFile];
    const [none, foreign, good] = await Promise.all([
      runCli(['put', 'k', 'v', ...ep]),
      runCli(['put', 'k', 'v', ...ep, '--cert', theirs.certFile, '--key', theirs.keyFile]),
      runCli(['put', 'k', 'v', ...ep, '--cert', mine.certFile, '--key', mine.keyFile]),
    ]);
    // Refused at the first request with 401 saying why (a handshake abort would only show the
    // client a reset connection), before the gateway: nothing is written.
    expect([none.code, foreign.code]).toEqual([1, 1]);
    expect(none.stderr).toMatch(
      /^Error: https:\/\/127\.0\.0\.1:\d+\/v3\/kv\/put answered HTTP 401: client certificate required: .*; pass --cert and --key\n$/,
    );
    expect(foreign.stderr).toMatch(
      /^Error: https:\/\/127\.0\.0\.1:\d+\/v3\/kv\/put answered HTTP 401: client certificate not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\): .*; pass --cert and --key with one\n$/,
    );
    expect([good.code, good.stdout]).toEqual([0, 'OK\n']);
    const bench = await runCli([
      'bench',
      ...ep,
      '--cert',
      mine.certFile,
      '--key',
      mine.keyFile,
      '-c',
      '1',
      '-d',
      '0.3',
      '--warmup',
      '0',
      '--keys',
      '4',
      '--json',
      '--no-progress',
    ]);
    expect(bench.stderr).toBe('');
    const result = JSON.parse(bench.stdout) as { errors: number; ops: number };
    expect(result.errors).toBe(0);
    expect(result.ops).toBeGreaterThan(0);
    // The refused puts wrote nothing: k's only version is the good put's.
    const read = await runCli([
      'get',
      'k',
      '-w',
      'json',
      ...ep,
      '--cert',
      mine.certFile,
      '--key',
      mine.keyFile,
    ]);
    expect((JSON.parse(read.stdout) as { kvs: { version: number }[] }).kvs[0]?.version).toBe(1);
  });
});

describe('TLS configuration errors', () => {
  const flags = {
    nodeId: 'n1',
    peers: 'n1=127.0.0.1:12380',
    listenClient: '127.0.0.1:0',
    listenPeer: '127.0.0.1:12380',
    dataDir: '/tmp/x',
  };

  test('serve: the certificate and key go together, the CA needs both, the advertised URL matches', () => {
    expect(() => resolveServeConfig({ ...flags, clientTlsCert: '/c' })).toThrow(
      /--client-tls-cert needs --client-tls-key/,
    );
    expect(() => resolveServeConfig({ ...flags, clientTlsKey: '/k' })).toThrow(
      /--client-tls-key needs --client-tls-cert/,
    );
    expect(() => resolveServeConfig({ ...flags, clientTlsCa: '/ca' })).toThrow(
      /--client-tls-ca requires .* --client-tls-cert and --client-tls-key/,
    );
    const tls = { clientTlsCert: '/c', clientTlsKey: '/k' };
    expect(resolveServeConfig({ ...flags, ...tls }).clientSecurity).toEqual({
      kind: 'tls',
      certFile: '/c',
      keyFile: '/k',
    });
    expect(resolveServeConfig(flags).clientSecurity).toEqual({ kind: 'plain' });
    expect(() =>
      resolveServeConfig({ ...flags, ...tls, clientUrls: 'n1=http://127.0.0.1:2379' }),
    ).toThrow(/serves its clients over HTTPS .* must advertise an https:\/\/ URL/);
    expect(() => resolveServeConfig({ ...flags, clientUrls: 'n1=https://127.0.0.1:2379' })).toThrow(
      /serves plain HTTP/,
    );
    // Beyond loopback: client certificates authenticate the client listener; TLS alone does not.
    const exposed = { ...flags, ...tls, listenClient: '0.0.0.0:2379' };
    expect(() => resolveServeConfig(exposed)).toThrow(/beyond loopback needs --secret-file/);
    expect(resolveServeConfig({ ...exposed, clientTlsCa: '/ca' }).clientSecurity.kind).toBe('mtls');
    expect(() =>
      resolveServeConfig({ ...exposed, clientTlsCa: '/ca', listenPeer: '0.0.0.0:12380' }),
    ).toThrow(/beyond loopback needs --secret-file.*peer listener/);
  });

  test('serve: config-file keys, unreadable and malformed files name their flag and path', () => {
    const server = pki.cert('server', { ips: ['127.0.0.1'] });
    const other = pki.cert('other');
    const file = join(dir, 'node.json');
    writeFileSync(
      file,
      JSON.stringify({
        ...flags,
        clientTlsCert: server.certFile,
        clientTlsKey: server.keyFile,
        clientTlsCa: pki.caFile,
      }),
    );
    const fromFile = resolveServeConfig({ config: file });
    expect(fromFile.clientSecurity.kind).toBe('mtls');
    expect(loadClientTls(fromFile.clientSecurity)).toMatchObject({
      requestCert: true,
      rejectUnauthorized: false, // checked per request: refuseUnverifiedClient
    });
    const missing = join(dir, 'missing.key');
    expect(() =>
      loadClientTls({ kind: 'tls', certFile: server.certFile, keyFile: missing }),
    ).toThrow(`cannot read --client-tls-key ${missing}: ENOENT`);
    expect(() =>
      loadClientTls({ kind: 'tls', certFile: server.certFile, keyFile: other.keyFile }),
    ).toThrow(/not a PEM certificate and its matching private key: .*key values mismatch/);
    expect(() => loadClientTls({ kind: 'mtls', ...server, caFile: server.keyFile })).toThrow(
      `--client-tls-ca ${server.keyFile} is not a PEM CA certificate`,
    );
  });

  test('serve warns when its plain-HTTP client listener is reachable beyond loopback', async () => {
    let text = '';
    const sink = new Writable({
      write(chunk, _enc, cb) {
        text += String(chunk);
        cb();
      },
    });
    const exposed = resolveServeConfig({ ...flags, listenClient: '0.0.0.0:0', secretFile: '/s' });
    // The node never starts, so nothing binds: the warning comes first.
    await expect(
      startServe(exposed, {
        createNode: async () => {
          throw new Error('not started in this test');
        },
        logDestination: sink,
      }),
    ).rejects.toThrow(/not started/);
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(lines.map((l) => l.level)).toEqual([40, 60]);
    expect(lines[0]!.msg).toMatch(/beyond loopback over plain HTTP.*--client-tls-cert/);
  });

  test('the CLI: a bad serve certificate and bad client flags are one line and exit 2', async () => {
    const server = pki.cert('server', { ips: ['127.0.0.1'] });
    const missing = join(dir, 'nope.crt');
    const [serve, keyless, unreadable] = await Promise.all([
      runCli([
        'serve',
        '--node-id',
        'n1',
        '--peers',
        'n1=127.0.0.1:1',
        '--listen-client',
        '127.0.0.1:0',
        '--listen-peer',
        '127.0.0.1:1',
        '--data-dir',
        join(dir, 'never'),
        '--client-tls-cert',
        missing,
        '--client-tls-key',
        server.keyFile,
      ]),
      runCli(['get', 'k', '--endpoints', url('tls'), '--cert', server.certFile]),
      runCli(['get', 'k', '--endpoints', url('tls'), '--cacert', missing]),
    ]);
    expect([serve.code, serve.stdout]).toEqual([2, '']);
    expect(serve.stderr).toBe(
      `Error: cannot read --client-tls-cert ${missing}: ENOENT: no such file or directory, open '${missing}'\n`,
    );
    expect([keyless.code, keyless.stderr]).toEqual([
      2,
      'Error: --cert needs --key (the private key of that certificate)\n',
    ]);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toMatch(`Error: cannot read --cacert ${missing}: ENOENT`);
    expect(loadTlsFlags({})).toBeUndefined();
  });
});
