import { createServer, connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestPki, type TestPki } from '../../../scripts/test-support/test-pki.js';
import { echoServer, pair, recordingLogger, transport } from './helpers.js';

const SECRET = 'correct horse battery staple, cluster test';

describe('handshake: cluster and node ids', () => {
  it('refuses a peer of another cluster before any handler runs', async () => {
    const logger = recordingLogger();
    const { server, client } = await pair({ logger }, { clusterId: 'other' });
    expect(await client.end('server').call('Test.Echo', { n: 1 })).toEqual({
      ok: false,
      reason: 'lost',
    });
    expect(server.stats().requestsServed).toBe(0);
    expect(server.stats().rejectedHandshakes).toBe(1);
    expect(
      logger.records.filter((r) => r.ev === 'handshake-rejected').map((r) => r.reason),
    ).toEqual(['cluster']);
    expect(client.stats().connectFailures).toBe(1);
  });

  it('refuses an unknown node id', async () => {
    const logger = recordingLogger();
    const { server, client } = await pair({ logger }, { nodeId: 'intruder' });
    expect((await client.end('server').call('Test.Echo', { n: 1 })).ok).toBe(false);
    expect(server.stats().requestsServed).toBe(0);
    expect(
      logger.records.filter((r) => r.ev === 'handshake-rejected').map((r) => r.reason),
    ).toEqual(['unknown-node']);
  });

  it('refuses a client that expected another node at that address', async () => {
    const logger = recordingLogger();
    const s = await transport({
      clusterId: 'test',
      nodeId: 'server',
      listen: { port: 0 },
      server: echoServer(),
      acceptFrom: ['client'],
      logger,
    });
    const c = await transport({
      clusterId: 'test',
      nodeId: 'client',
      peers: { elsewhere: s.address() },
    });
    expect((await c.end('elsewhere').call('Test.Echo', { n: 1 })).ok).toBe(false);
    expect(
      logger.records.filter((r) => r.ev === 'handshake-rejected').map((r) => r.reason),
    ).toEqual(['wrong-node']);
  });

  it('a request sent before the handshake closes the connection unanswered', async () => {
    const logger = recordingLogger();
    const { server } = await pair({ logger });
    const socket = connect(server.address());
    const { encodeFrame, FrameType } = await import('../src/frame.js');
    const { msgpackCodec } = await import('@raftkit/codec');
    socket.write(encodeFrame(FrameType.Request, 1, msgpackCodec.encode(['Test.Echo', { n: 1 }])));
    const received: Buffer[] = [];
    socket.on('data', (d) => received.push(d));
    await new Promise((resolve) => socket.on('close', resolve));
    expect(server.stats().requestsServed).toBe(0);
    // Only a REJECT came back.
    expect(Buffer.concat(received)[4]).toBe(FrameType.Reject);
    expect(
      logger.records.filter((r) => r.ev === 'handshake-rejected').map((r) => r.reason),
    ).toEqual(['protocol']);
  });
});

describe('handshake: shared cluster secret (HMAC challenge)', () => {
  it('accepts a peer holding the secret', async () => {
    const { client } = await pair({ auth: { secret: SECRET } }, { auth: { secret: SECRET } });
    expect(await client.end('server').call('Test.Echo', { n: 3 })).toEqual({
      ok: true,
      reply: { n: 3 },
    });
  });

  it('refuses a peer with a wrong secret, and a client that trusts no secret is refused too', async () => {
    const logger = recordingLogger();
    const { server, client } = await pair(
      { auth: { secret: SECRET }, logger },
      { auth: { secret: `${SECRET}!` } },
    );
    // The client checks the server's proof first and hangs up.
    expect((await client.end('server').call('Test.Echo', { n: 1 })).ok).toBe(false);
    const noSecret = await transport({
      clusterId: 'test',
      nodeId: 'client',
      peers: { server: server.address() },
    });
    expect((await noSecret.end('server').call('Test.Echo', { n: 1 })).ok).toBe(false);
    expect(server.stats().requestsServed).toBe(0);
    expect(
      logger.records.filter((r) => r.ev === 'handshake-rejected').map((r) => r.reason),
    ).toEqual(['auth']);
  });

  it('a client holding a secret refuses a server that proves none (no downgrade)', async () => {
    const { server, client } = await pair({}, { auth: { secret: SECRET } });
    expect((await client.end('server').call('Test.Echo', { n: 1 })).ok).toBe(false);
    expect(server.stats().requestsServed).toBe(0);
  });

  it('never sends the secret: a recording proxy sees neither it nor a reusable proof', async () => {
    const { server } = await pair({ auth: { secret: SECRET } });
    const wire: Buffer[] = [];
    const sockets = new Set<Socket>();
    const proxy = createServer((inbound) => {
      const outbound = connect(server.address());
      sockets.add(inbound).add(outbound);
      inbound.on('data', (d) => {
        wire.push(d);
        outbound.write(d);
      });
      outbound.on('data', (d) => {
        wire.push(d);
        inbound.write(d);
      });
      inbound.on('close', () => outbound.destroy());
      outbound.on('close', () => inbound.destroy());
      inbound.on('error', () => {});
      outbound.on('error', () => {});
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const port = (proxy.address() as { port: number }).port;
    try {
      for (let i = 0; i < 2; i++) {
        const c = await transport({
          clusterId: 'test',
          nodeId: 'client',
          peers: { server: { host: '127.0.0.1', port } },
          auth: { secret: SECRET },
        });
        expect(await c.end('server').call('Test.Echo', { n: i })).toEqual({
          ok: true,
          reply: { n: i },
        });
        await c.close();
      }
      const bytes = Buffer.concat(wire);
      expect(bytes.includes(Buffer.from(SECRET))).toBe(false);
      expect(bytes.includes(Buffer.from(SECRET.slice(0, 12)))).toBe(false);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});

describe('handshake: mutual TLS', () => {
  let pki: TestPki;
  beforeAll(() => {
    pki = makeTestPki();
  });
  afterAll(() => pki.remove());

  it('accepts peers whose certificates chain to the cluster CA and name their ids', async () => {
    const { client, server } = await pair(
      { auth: { tls: pki.node('server') } },
      { auth: { tls: pki.node('client') } },
    );
    expect(await client.end('server').call('Test.Echo', { n: 5 })).toEqual({
      ok: true,
      reply: { n: 5 },
    });
    expect(server.stats().rejectedHandshakes).toBe(0);
  });

  it('refuses a certificate from another CA before any handler runs', async () => {
    const logger = recordingLogger();
    const { client, server } = await pair(
      { auth: { tls: pki.node('server') }, logger },
      { auth: { tls: pki.node('client', 'stranger') } },
    );
    expect((await client.end('server').call('Test.Echo', { n: 1 })).ok).toBe(false);
    expect(server.stats().requestsServed).toBe(0);
    expect(server.stats().rejectedHandshakes).toBe(1);
    expect(logger.records.filter((r) => r.ev === 'tls-rejected')).toHaveLength(1);
  });

  it('refuses a valid certificate that names another node than the one claimed', async () => {
    const logger = recordingLogger();
    const { client, server } = await pair(
      { auth: { tls: pki.node('server') }, logger },
      { auth: { tls: pki.node('mallory') } },
    );
    expect((await client.end('server').call('Test.Echo', { n: 1 })).ok).toBe(false);
    expect(server.stats().requestsServed).toBe(0);
    expect(
      logger.records.filter((r) => r.ev === 'handshake-rejected').map((r) => r.reason),
    ).toEqual(['auth']);
  });

  it('a client refuses a server whose certificate names another node', async () => {
    const { client, server } = await pair(
      { auth: { tls: pki.node('impostor') } },
      { auth: { tls: pki.node('client') } },
    );
    expect((await client.end('server').call('Test.Echo', { n: 1 })).ok).toBe(false);
    expect(server.stats().requestsServed).toBe(0);
  });

  it('TLS and the secret together', async () => {
    const { client } = await pair(
      { auth: { tls: pki.node('server'), secret: SECRET } },
      { auth: { tls: pki.node('client'), secret: SECRET } },
    );
    expect(await client.end('server').call('Test.Echo', { n: 9 })).toEqual({
      ok: true,
      reply: { n: 9 },
    });
  });
});
