import { createServer, type Server } from 'node:http';
import type { CutDirection, LinkFaults, TcpFaults } from '@raftkit/transport-tcp';
import type { ListenAddress } from './config.js';

/**
 * One request to the fault admin endpoint (`POST /faults`, JSON). Applied in this order:
 * `clear` (every rule and cut removed), then each `set` (drop/delay rules on this node's calls to
 * a peer), then each `cut` ('out': this node's calls to the peer are lost; 'in': the peer's
 * requests here are discarded; 'both').
 */
export interface FaultRequest {
  clear?: boolean;
  set?: (LinkFaults & { peer: string })[];
  cut?: { peer: string; direction: CutDirection }[];
}

export interface FaultAdmin {
  address: ListenAddress;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

/**
 * The loopback-only HTTP endpoint `raftkit torture` uses to partition and cut nodes through the
 * transport's fault layer (validated by the config: it never binds beyond loopback). `GET
 * /faults` answers the transport's counters. Bad requests answer 400 with the reason and change
 * nothing (a request is validated by the fault layer as it applies, so a bad `cut` after a good
 * `set` leaves the `set` in place; the caller's next `clear` removes it).
 */
export async function startFaultAdmin(
  listen: ListenAddress,
  faults: TcpFaults,
  stats: () => unknown,
): Promise<FaultAdmin> {
  const server: Server = createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/faults') return reply(404, { error: 'only /faults' });
    if (req.method === 'GET') return reply(200, stats());
    if (req.method !== 'POST') return reply(405, { error: 'GET or POST' });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      if (size > MAX_BODY) return reply(413, { error: `body over ${MAX_BODY} bytes` });
      let body: FaultRequest;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as FaultRequest;
        if (typeof body !== 'object' || body === null) throw new Error('expected a JSON object');
      } catch (error) {
        return reply(400, { error: `bad JSON: ${(error as Error).message}` });
      }
      try {
        if (body.clear === true) faults.clear();
        for (const { peer, ...rule } of body.set ?? []) faults.set(rule, peer);
        for (const { peer, direction } of body.cut ?? []) faults.cut(peer, direction);
      } catch (error) {
        // The fault layer's typed errors, or a TypeError from a malformed list: refuse, never crash.
        return reply(400, { error: (error as Error).message });
      }
      reply(200, { ok: true });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  return {
    address: {
      host: listen.host,
      port: typeof bound === 'object' && bound !== null ? bound.port : listen.port,
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
