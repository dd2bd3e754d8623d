import { InvalidArgumentError } from '@raftkit/core';
import { EndpointUnreachableError } from '../errors/endpoint-unreachable-error.js';
import { GatewayError } from '../errors/gateway-error.js';
import { HttpRequestError } from '../errors/http-request-error.js';
import { type Agents, createAgents, destroyAgents, httpRequest } from './http-request.js';
import type { ClientTls } from './tls-options.js';

export interface GatewayClientOptions {
  /** Client URLs of the cluster, tried in order. */
  endpoints: readonly URL[];
  /** Bound on each request, ms. Default 5000. */
  timeoutMs?: number;
  /** For https:// endpoints: the CA to trust and the client certificate to present. */
  tls?: ClientTls;
}

/**
 * A client of etcd's v3 JSON gateway (etcd itself or raftkit). Requests go to the endpoint that
 * last answered; when an endpoint refuses the connection (the request was never sent) the next
 * one is tried, so writes never apply twice because of that failover. A timeout or a reset
 * connection is not retried: the request may have been applied.
 */
export class GatewayClient {
  readonly endpoints: readonly URL[];
  private readonly timeoutMs: number;
  private readonly agents: Agents;
  private preferred = 0;

  constructor(options: GatewayClientOptions) {
    if (!Array.isArray(options.endpoints) || options.endpoints.length === 0) {
      throw new InvalidArgumentError({
        argument: 'endpoints',
        message: 'endpoints must be a non-empty array of URLs',
      });
    }
    const timeoutMs = options.timeoutMs ?? 5000;
    if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
      throw new InvalidArgumentError({
        argument: 'timeoutMs',
        message: `timeoutMs must be a positive number of ms, got ${String(timeoutMs)}`,
      });
    }
    this.endpoints = options.endpoints;
    this.timeoutMs = timeoutMs;
    this.agents = createAgents(8, options.tls);
  }

  /**
   * POSTs `request` as JSON to `path` (e.g. `/v3/kv/put`) and returns the parsed reply. With
   * `endpoint`, only that endpoint is asked. Throws GatewayError for an error reply,
   * HttpRequestError when a single endpoint did not answer, EndpointUnreachableError when none did.
   */
  async post<T>(path: string, request: object, endpoint?: URL): Promise<T> {
    const body = Buffer.from(JSON.stringify(request));
    const reply = await this.send(endpoint, (url) =>
      httpRequest({
        agents: this.agents,
        url,
        method: 'POST',
        path,
        body,
        timeoutMs: this.timeoutMs,
      }),
    );
    return parseReply<T>(reply.url, path, reply.status, reply.body);
  }

  /** GETs `path` (`/health`, `/version`) and returns the status and raw text. */
  async get(path: string, endpoint?: URL): Promise<{ status: number; body: string }> {
    const reply = await this.send(endpoint, (url) =>
      httpRequest({ agents: this.agents, url, method: 'GET', path, timeoutMs: this.timeoutMs }),
    );
    return { status: reply.status, body: reply.body };
  }

  close(): void {
    destroyAgents(this.agents);
  }

  private async send(
    only: URL | undefined,
    attempt: (url: URL) => Promise<{ status: number; body: string }>,
  ): Promise<{ url: URL; status: number; body: string }> {
    if (only !== undefined) return { url: only, ...(await attempt(only)) };
    const failures: { endpoint: string; reason: string }[] = [];
    for (let i = 0; i < this.endpoints.length; i++) {
      const index = (this.preferred + i) % this.endpoints.length;
      const url = this.endpoints[index]!;
      try {
        const reply = await attempt(url);
        this.preferred = index;
        return { url, ...reply };
      } catch (error) {
        if (!HttpRequestError.isInstance(error) || error.failure !== 'refused') throw error;
        failures.push({ endpoint: url.origin, reason: 'connection refused' });
      }
    }
    throw new EndpointUnreachableError({ attempts: failures });
  }
}

/** Parses a gateway reply; an error body or a non-200 status becomes a GatewayError. */
export function parseReply<T>(url: URL, path: string, status: number, text: string): T {
  let parsed: unknown;
  try {
    parsed = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new GatewayError({
      endpoint: url.origin,
      path,
      httpStatus: status,
      message: `reply is not JSON: ${text.slice(0, 120).trim()}`,
    });
  }
  const obj = parsed as { error?: unknown; message?: unknown; code?: unknown };
  if (status !== 200 || (typeof obj === 'object' && obj !== null && 'error' in obj)) {
    const message = typeof obj?.message === 'string' ? obj.message : String(obj?.error ?? text);
    throw new GatewayError({
      endpoint: url.origin,
      path,
      httpStatus: status,
      ...(typeof obj?.code === 'number' ? { grpcCode: obj.code } : {}),
      message,
    });
  }
  return parsed as T;
}
