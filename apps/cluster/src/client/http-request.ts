import http from 'node:http';
import https from 'node:https';
import { type HttpFailure, HttpRequestError } from '../errors/http-request-error.js';
import type { ClientTls } from './tls-options.js';
import { describeTlsFailure } from './tls-failure.js';

/** A finished HTTP exchange: the status and the whole body as text. */
export interface HttpReply {
  status: number;
  body: string;
}

/**
 * Keep-alive agents: one per protocol. `maxSockets` bounds connections per endpoint. `tls`
 * (CA to trust, client certificate) applies to every https:// connection.
 */
export interface Agents {
  http: http.Agent;
  https: https.Agent;
}

export function createAgents(maxSockets: number, tls?: ClientTls): Agents {
  const options = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets };
  return { http: new http.Agent(options), https: new https.Agent({ ...options, ...tls }) };
}

export function destroyAgents(agents: Agents): void {
  agents.http.destroy();
  agents.https.destroy();
}

/**
 * One request on a keep-alive connection. Resolves with the reply (any status) or rejects with
 * HttpRequestError. `timeoutMs` bounds the whole exchange, from sending to the last byte.
 * Measured here against etcd: node:http with a keep-alive agent costs 110–150 µs of client CPU
 * per request, the same as undici's Pool and 5–8× less than the built-in fetch.
 */
export function httpRequest(options: {
  agents: Agents;
  url: URL;
  method: 'GET' | 'POST';
  path: string;
  body?: Buffer;
  timeoutMs: number;
}): Promise<HttpReply> {
  const { url, body } = options;
  const secure = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (failure: HttpFailure, message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new HttpRequestError({ failure, endpoint: url.origin, reason: message }));
    };
    const headers: Record<string, string | number> =
      body === undefined
        ? {}
        : { 'content-type': 'application/json', 'content-length': body.length };
    const req = (secure ? https : http).request(
      {
        host: url.hostname,
        port: url.port || (secure ? 443 : 80),
        path: options.path,
        method: options.method,
        agent: secure ? options.agents.https : options.agents.http,
        headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', (e) => fail('network', e.message));
      },
    );
    const timer = setTimeout(() => {
      fail('timeout', `no reply within ${options.timeoutMs} ms`);
      req.destroy();
    }, options.timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNREFUSED') return fail('refused', e.code);
      const tls = secure ? describeTlsFailure(e, url.hostname) : undefined;
      if (tls !== undefined) return fail('tls', tls);
      // An HTTPS server drops a plain-HTTP client without a word.
      const hint =
        !secure && e.code === 'ECONNRESET'
          ? ' (if the server serves HTTPS, use an https:// endpoint)'
          : '';
      fail('network', `${e.code ?? e.message}${hint}`);
    });
    req.end(body);
  });
}
