import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type ClientTlsOptions, refuseUnverifiedClient } from './client-tls.js';
import type { ListenAddress } from './config.js';
import { operationOf, type ServeMetrics } from './metrics.js';
import type { NodeRuntime } from './node-runtime.js';

/** The client-facing HTTP server of a node: /health, /metrics, and the gateway for the rest. */
export interface ClientServer {
  /** The bound address (port resolved when 0 was asked). */
  address: ListenAddress;
  /** Requests being answered right now. */
  inFlight(): number;
  /**
   * Stops accepting connections, waits up to `graceMs` for in-flight requests to be answered,
   * then closes every connection. Resolves true when all in-flight requests finished in time.
   */
  close(graceMs: number): Promise<boolean>;
}

/**
 * `/health` answers like etcd 3.4 (`{"health":"true"}` as text/plain) when the node knows a
 * leader, and 503 `{"health":"false"}` when it does not.
 */
function health(runtime: NodeRuntime, res: ServerResponse): void {
  const v = runtime.view();
  const ok = v.leaderId !== undefined;
  res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(ok ? '{"health":"true"}' : '{"health":"false"}');
}

/**
 * Serves `runtime` on `listen`: plain HTTP, or HTTPS with `tls` (the same handler either way; a
 * client that fails the handshake, a plain-HTTP one included, is disconnected before any
 * request is read; when client certificates are required, a client without a verified one gets
 * 401 and nothing else).
 */
export async function startClientServer(
  listen: ListenAddress,
  runtime: NodeRuntime,
  metrics: ServeMetrics,
  tls?: ClientTlsOptions,
): Promise<ClientServer> {
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    if (refuseUnverifiedClient(tls, req, res)) return;
    inFlight += 1;
    const started = performance.now();
    const path = (req.url ?? '/').split('?')[0]!;
    res.on('close', () => {
      inFlight -= 1;
      if (path !== '/metrics' && path !== '/health') {
        metrics.requests.observe(
          { op: operationOf(path), code: String(res.statusCode) },
          (performance.now() - started) / 1000,
        );
      }
      if (inFlight === 0) drained?.();
    });
    if (req.method === 'GET' && path === '/health') return health(runtime, res);
    if (req.method === 'GET' && path === '/metrics') {
      metrics.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(text);
        },
        () => {
          res.writeHead(500).end();
        },
      );
      return;
    }
    runtime.handleGateway(req, res);
  };
  // https.Server is an http.Server over TLS sockets: same connection-closing methods.
  const server: Server =
    tls === undefined ? createServer(handler) : createHttpsServer(tls, handler);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  const port = typeof bound === 'object' && bound !== null ? bound.port : listen.port;
  return {
    address: { host: listen.host, port },
    inFlight: () => inFlight,
    async close(graceMs) {
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const bound = (ms: number) =>
        new Promise<false>((r) => {
          timer = setTimeout(() => r(false), ms);
        });
      const finished =
        inFlight === 0 ||
        (await Promise.race([
          new Promise<boolean>((r) => {
            drained = () => r(true);
          }),
          bound(graceMs),
        ]));
      clearTimeout(timer);
      // Answered connections close once their reply is flushed; cut whatever is left.
      server.closeIdleConnections();
      const ended = await Promise.race([closed.then(() => true), bound(finished ? 1000 : 0)]);
      clearTimeout(timer);
      if (!ended) server.closeAllConnections();
      return finished;
    },
  };
}
