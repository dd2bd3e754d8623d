import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { CallResult, ClientEnd } from '@raftkit/core';
import type { TransportContext } from './context.js';
import { ListenError } from './errors/listen-error.js';
import { UnknownPeerError } from './errors/unknown-peer-error.js';
import { TcpFaults } from './faults.js';
import { InboundConnection } from './inbound-connection.js';
import {
  checkAddress,
  checkId,
  type PeerAddress,
  type ResolvedOptions,
  resolveOptions,
  type TcpTransportOptions,
} from './options.js';
import { PeerLink } from './peer-link.js';
import { emptyStats, type TcpTransportStats } from './stats.js';
import { loadTls, type TlsMaterial } from './tls.js';

/**
 * raftkit's transport over TCP: `end(peer)` gives a `ClientEnd` with the
 * simulated network's contract (a call resolves exactly once, to the reply
 * or to `{ ok: false, reason }`; a per-call deadline makes it 'lost'; after
 * `close()` it is 'closed'), and inbound requests are dispatched to the
 * `RpcServer` given in the options. Create it with `createTcpTransport`.
 */
export class TcpTransport {
  readonly nodeId: string;
  readonly clusterId: string;
  /** The fault layer (tests): drops, delays and cut links on this node's side. */
  readonly faults = new TcpFaults();
  private readonly options: ResolvedOptions;
  private readonly counters: TcpTransportStats = emptyStats();
  private readonly links = new Map<string, PeerLink>();
  private readonly ends = new Map<string, ClientEnd>();
  private readonly inbound = new Set<InboundConnection>();
  private readonly ctx: TransportContext;
  private listener: Server | undefined;
  private bound: PeerAddress | undefined;
  private isClosed = false;

  /** @internal Use `createTcpTransport`. */
  constructor(options: ResolvedOptions, tls: TlsMaterial | undefined) {
    this.options = options;
    this.nodeId = options.nodeId;
    this.clusterId = options.clusterId;
    const src = `tcp-${options.nodeId}`;
    const transport = this;
    this.ctx = {
      options,
      stats: this.counters,
      faults: this.faults,
      tls,
      get closed() {
        return transport.isClosed;
      },
      accepts: (id) => this.accepts(id),
      log: (ev, fields) => {
        if (options.logger.enabled) options.logger.log(src, ev, fields);
      },
    };
  }

  /** @internal Starts the listener, if configured. */
  async listen(): Promise<void> {
    const { listen } = this.options;
    if (listen === undefined) return;
    const tls = this.ctx.tls;
    const server: Server =
      tls === undefined
        ? createNetServer({ noDelay: true })
        : createTlsServer({
            cert: tls.cert,
            key: tls.key,
            ca: tls.ca,
            requestCert: true,
            rejectUnauthorized: true,
            minVersion: 'TLSv1.2',
            // A peer that opens TCP but never finishes TLS is dropped like a slow handshake.
            handshakeTimeout: this.options.handshakeTimeoutMs,
          });
    // Node refuses connections beyond this at accept time (TLS handshakes in progress included).
    server.maxConnections = this.options.limits.maxConnections;
    server.on(tls === undefined ? 'connection' : 'secureConnection', (socket: Socket) =>
      this.accept(socket),
    );
    server.on('tlsClientError', (error: NodeJS.ErrnoException, socket: Socket) => {
      this.counters.rejectedHandshakes += 1;
      this.ctx.log('tls-rejected', {
        reason: error.code ?? error.message,
        remote: `${socket.remoteAddress}:${socket.remotePort}`,
      });
      socket.destroy();
    });
    server.on('error', (error) => this.ctx.log('listener-error', { error: error.message }));
    await new Promise<void>((resolve, reject) => {
      const onError = (cause: unknown) => reject(new ListenError({ ...listen, cause }));
      server.once('error', onError);
      server.listen({ host: listen.host, port: listen.port }, () => {
        server.off('error', onError);
        resolve();
      });
    });
    const address = server.address();
    if (address === null || typeof address === 'string') {
      server.close();
      throw new ListenError({ ...listen, cause: new Error('the listener has no TCP address') });
    }
    this.listener = server;
    this.bound = { host: address.address, port: address.port };
    this.ctx.log('listening', { host: address.address, port: address.port });
  }

  /** Where this transport listens (the chosen port when `listen.port` was 0). */
  address(): PeerAddress {
    if (this.bound === undefined) {
      throw new ListenError({
        host: this.options.listen?.host ?? '(none)',
        port: this.options.listen?.port ?? 0,
        cause: new Error('this transport does not listen (no options.listen, or it is closed)'),
      });
    }
    return { ...this.bound };
  }

  /** Adds or changes a peer's address; an open connection to it is kept until it breaks. */
  setPeer(id: string, address: PeerAddress): void {
    checkId('id', id);
    this.options.peers.set(id, checkAddress('address', address));
  }

  /** The end through which this node calls `peer`. Ends to one peer share one connection. */
  end(peer: string): ClientEnd {
    checkId('peer', peer);
    const existing = this.ends.get(peer);
    if (existing !== undefined) return existing;
    if (!this.options.peers.has(peer)) {
      throw new UnknownPeerError({ peer, known: [...this.options.peers.keys()] });
    }
    const end: ClientEnd = {
      call: (method: string, args: unknown): Promise<CallResult<unknown>> =>
        this.link(peer).call(method, args),
    };
    this.ends.set(peer, end);
    return end;
  }

  /** A copy of the counters, with the gauges as of now. */
  stats(): TcpTransportStats {
    let pending = 0;
    for (const link of this.links.values()) pending += link.pendingCount;
    return { ...this.counters, pendingCalls: pending };
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /**
   * Stops listening, closes every connection, and resolves every pending call
   * as 'closed' (later calls too). Resolves when the listener is closed. Idempotent.
   */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const link of this.links.values()) link.close();
    for (const conn of [...this.inbound]) conn.close(undefined);
    const listener = this.listener;
    this.listener = undefined;
    this.bound = undefined;
    if (listener !== undefined) {
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    }
    this.ctx.log('closed', {});
  }

  private link(peer: string): PeerLink {
    let link = this.links.get(peer);
    if (link === undefined) {
      link = new PeerLink(this.ctx, peer, () => this.options.peers.get(peer));
      this.links.set(peer, link);
    }
    return link;
  }

  private accepts(id: string): boolean {
    const rule = this.options.acceptFrom;
    if (rule === undefined) return this.options.peers.has(id);
    if (typeof rule === 'function') return rule(id) === true;
    return rule.includes(id);
  }

  private accept(socket: Socket): void {
    if (this.isClosed) {
      socket.destroy();
      return;
    }
    if (this.inbound.size >= this.options.limits.maxConnections) {
      this.ctx.log('connection-refused', { reason: 'too many connections' });
      socket.on('error', () => {});
      socket.destroy();
      return;
    }
    this.counters.inboundConnections += 1;
    const conn = new InboundConnection(this.ctx, socket, (c) => {
      if (this.inbound.delete(c)) this.counters.inboundConnections -= 1;
    });
    this.inbound.add(conn);
  }
}

/**
 * Creates a transport and, with `options.listen`, starts listening
 * (127.0.0.1 unless another host is given; beyond loopback `auth` is
 * required). Throws `InvalidArgumentError` for a bad option,
 * `InsecureBindError` for an unauthenticated non-loopback bind and
 * `ListenError` when the address cannot be bound.
 */
export async function createTcpTransport(options: TcpTransportOptions): Promise<TcpTransport> {
  const resolved = resolveOptions(options);
  const tls = resolved.tls === undefined ? undefined : loadTls(resolved.tls);
  const transport = new TcpTransport(resolved, tls);
  await transport.listen();
  return transport;
}
