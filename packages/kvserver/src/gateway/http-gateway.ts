import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidArgumentError } from '@raftkit/core';
import { etcdError, GrpcCode, httpStatusOf } from '@raftkit/kv-protocol';
import type { KvServer } from '../kv-server.js';
import {
  errorBody,
  goJson,
  type HeaderFields,
  memberListBody,
  resultBody,
  statusBody,
} from './encode-response.js';
import { JsonSyntaxError, parseFirstJsonValue } from './json-parse.js';
import { decodeMessage } from './decode-request.js';
import { DecodeError, decodeRoute, EmptyOpError, type Route, routes } from './routes.js';

export interface KvGatewayOptions {
  /** The server whose group the gateway serves (any member: followers forward to the leader). */
  server: KvServer;
  /** Largest request body accepted, in bytes. Default 3 MiB (a 1 MiB value is 1.4 MB of base64). */
  maxBodyBytes?: number;
  /** Idle keep-alive connections close after this many ms. Default 5000. */
  keepAliveTimeoutMs?: number;
  /**
   * The etcd version the gateway reports (status, GET /version). Default
   * "3.4.23", the API level it implements; clients such as etcd3gw pick
   * their paths from it.
   */
  etcdVersion?: string;
  /** The cluster version in GET /version. Default "3.4.0". */
  clusterVersion?: string;
}

const TEXT = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json';
const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, GET, OPTIONS, PUT, DELETE',
  'Access-Control-Allow-Headers': 'accept, content-type, authorization',
};

/**
 * etcd 3.4's v3 JSON gateway over HTTP/1.1 (node:http, keep-alive) in front
 * of one KvServer: POST /v3/kv/{range,put,deleterange,txn,compaction},
 * /v3/lease/{grant,revoke}, /v3/maintenance/status, /v3/cluster/member/list
 * (and /v3beta/…), GET /version and /health, with etcd's wire rules
 * (README of the conformance corpus). Requests a follower cannot answer go
 * to the leader through the kv service's `Execute` over the group's
 * transport; with no leader known the reply is etcd's "no leader" at once.
 * Bad input gets etcd's error shape and status and changes nothing.
 */
export class KvGateway {
  private readonly server: KvServer;
  private readonly http: Server;
  private readonly maxBodyBytes: number;
  private readonly version: string;
  private readonly clusterVersion: string;

  constructor(options: KvGatewayOptions) {
    if (typeof options?.server?.route !== 'function')
      throw new InvalidArgumentError({ argument: 'server', message: 'server must be a KvServer' });
    const max = options.maxBodyBytes ?? 3 << 20;
    if (!Number.isSafeInteger(max) || max < 1)
      throw new InvalidArgumentError({
        argument: 'maxBodyBytes',
        message: `maxBodyBytes must be a positive integer, got ${String(max)}`,
      });
    this.server = options.server;
    this.maxBodyBytes = max;
    this.version = options.etcdVersion ?? '3.4.23';
    this.clusterVersion = options.clusterVersion ?? '3.4.0';
    this.http = createServer((req, res) => this.handleRequest(req, res));
    this.http.keepAliveTimeout = options.keepAliveTimeoutMs ?? 5000;
    this.http.headersTimeout = 60_000;
    this.http.requestTimeout = 120_000;
  }

  /**
   * Answers one request as the gateway's own server does. For embedding the gateway in another
   * `node:http` server (one that also serves /metrics, say) instead of calling `listen`.
   */
  handleRequest(req: IncomingMessage, res: ServerResponse): void {
    this.handle(req, res).catch(() => {
      // A handler bug must not take the server down: answer 500 if nothing was sent yet.
      if (!res.headersSent) send(res, 500, JSON_TYPE, errorBody('internal error', 13));
      else res.destroy();
    });
  }

  /** Starts listening (host default 127.0.0.1, port 0 = any free port); resolves with the address. */
  listen(port = 0, host = '127.0.0.1'): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, host, () => {
        this.http.off('error', reject);
        resolve(this.http.address() as AddressInfo);
      });
    });
  }

  /** The bound address (after listen). */
  address(): AddressInfo {
    return this.http.address() as AddressInfo;
  }

  /** Stops accepting, closes idle and open connections, and resolves when the server is closed. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }

  private headerFields(): HeaderFields {
    const s = this.server;
    return {
      clusterId: s.clusterId,
      memberId: s.members[s.me]!.id,
      raftTerm: s.raft.getState().term,
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    const method = req.method ?? 'GET';
    if (method === 'OPTIONS') return send(res, 200, undefined, '');
    if (path === '/version' || path === '/health') {
      if (method !== 'GET' && method !== 'HEAD')
        return send(res, 405, TEXT, 'Method Not Allowed\n');
      if (path === '/version')
        return send(
          res,
          200,
          JSON_TYPE,
          goJson({ etcdserver: this.version, etcdcluster: this.clusterVersion }),
        );
      const healthy = !this.server.killed && this.server.status().leader >= 0;
      return send(res, healthy ? 200 : 503, TEXT, goJson({ health: String(healthy) }));
    }
    const m = /^\/v3(beta)?(\/.*)$/.exec(path);
    if (m === null) return send(res, 404, TEXT, '404 page not found\n');
    const route = routes[m[2]!];
    if (route === undefined) return send(res, 404, TEXT, 'Not Found\n');
    if (method !== 'POST') return send(res, 405, TEXT, 'Method Not Allowed\n');
    const body = await readBody(req, this.maxBodyBytes);
    if (body === undefined) {
      res.setHeader('Connection', 'close');
      const e = etcdError('ErrBadRequest', 'etcdserver: request is too large');
      return send(res, e.httpStatus, JSON_TYPE, errorBody(e.message, e.code));
    }
    return this.answer(res, route, body);
  }

  private async answer(res: ServerResponse, route: Route, text: string): Promise<void> {
    let parsed: ReturnType<typeof parseFirstJsonValue>;
    try {
      parsed = parseFirstJsonValue(text);
    } catch (error) {
      if (error instanceof JsonSyntaxError) return badRequest(res, error.message);
      throw error;
    }
    if (route.kind !== 'kv') {
      try {
        decodeMessage({}, parsed);
      } catch (error) {
        if (error instanceof DecodeError) return badRequest(res, error.message);
        throw error;
      }
    }
    if (route.kind === 'status') {
      return send(res, 200, JSON_TYPE, goJson(statusBody(this.server.status(), this.version)));
    }
    if (route.kind === 'members') {
      return send(
        res,
        200,
        JSON_TYPE,
        goJson(memberListBody(this.server.members, this.headerFields())),
      );
    }
    let request: ReturnType<typeof decodeRoute>;
    try {
      request = decodeRoute(route, parsed);
    } catch (error) {
      if (error instanceof DecodeError) return badRequest(res, error.message);
      if (error instanceof EmptyOpError) return sendError(res, 'ErrKeyNotFound');
      throw error;
    }
    const reply = await this.server.route(request);
    if (res.destroyed) return;
    if (reply.err !== 'OK') return sendError(res, reply.err, reply.message);
    return send(res, 200, JSON_TYPE, goJson(resultBody(reply.result!, this.headerFields())));
  }
}

function badRequest(res: ServerResponse, message: string): void {
  send(
    res,
    httpStatusOf(GrpcCode.InvalidArgument),
    JSON_TYPE,
    errorBody(message, GrpcCode.InvalidArgument),
  );
}

function sendError(
  res: ServerResponse,
  err: Parameters<typeof etcdError>[0],
  detail?: string,
): void {
  const e = etcdError(err, detail);
  send(res, e.httpStatus, JSON_TYPE, errorBody(e.message, e.code));
}

function send(res: ServerResponse, status: number, type: string | undefined, body: string): void {
  // Literal fields, not a spread of CORS: a spread plus more fields is V8's slow path, per response.
  const headers: Record<string, string | number> = {
    'Access-Control-Allow-Origin': CORS['Access-Control-Allow-Origin'],
    'Access-Control-Allow-Methods': CORS['Access-Control-Allow-Methods'],
    'Access-Control-Allow-Headers': CORS['Access-Control-Allow-Headers'],
    'Content-Length': Buffer.byteLength(body),
  };
  if (type !== undefined) headers['Content-Type'] = type;
  res.writeHead(status, headers);
  res.end(body);
}

/** The body as text, or undefined when it is larger than `max` bytes (the rest is not read). */
function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > max) {
    req.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > max) {
        over = true;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}
