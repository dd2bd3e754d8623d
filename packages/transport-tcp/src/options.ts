import { msgpackCodec } from '@raftkit/codec';
import {
  type Clock,
  type Codec,
  createCryptoRng,
  InvalidArgumentError,
  type Logger,
  noopLogger,
  RealClock,
  type Rng,
  type RpcServer,
} from '@raftkit/core';
import { InsecureBindError } from './errors/insecure-bind-error.js';

/** Where a peer listens. */
export interface PeerAddress {
  host: string;
  port: number;
}

/** Mutual TLS: PEM files read once at `createTcpTransport`. */
export interface TlsFiles {
  /** This node's certificate chain. Its subject CN (or a DNS SAN) must be this node's id. */
  certFile: string;
  keyFile: string;
  /** The cluster's CA: a peer's certificate must chain to it. */
  caFile: string;
}

export interface TcpAuthOptions {
  /**
   * A shared cluster secret (≥ 16 bytes). Each side proves it holds it with
   * an HMAC-SHA256 over both sides' fresh nonces; the secret never crosses
   * the wire.
   */
  secret?: string | Uint8Array;
  /** Mutual TLS through node:tls; a peer's certificate names its node id. */
  tls?: TlsFiles;
}

/** Every bound of the transport. Bytes and counts; never unbounded. */
export interface TcpLimits {
  /** Largest frame accepted or sent (bytes after the length prefix). Default 16 MiB. */
  maxFrameBytes: number;
  /** Frames waiting to be written, per connection. Default 4096. */
  maxQueueMessages: number;
  /** Bytes waiting to be written, per connection (≥ maxFrameBytes). Default 32 MiB. */
  maxQueueBytes: number;
  /** Calls awaiting a reply, per peer; beyond it a call is lost at once. Default 8192. */
  maxPendingCalls: number;
  /** Handlers running for one inbound connection; beyond it reading pauses. Default 1024. */
  maxInflightPerConnection: number;
  /** Inbound connections at once; beyond it new ones are closed. Default 1024. */
  maxConnections: number;
}

export interface BackoffOptions {
  /** First reconnect delay (ms). Default 50. */
  baseMs: number;
  /** Largest reconnect delay (ms). Default 2000. */
  maxMs: number;
}

export interface TcpTransportOptions {
  /** Every node of a cluster shares it; a peer of another cluster is refused. */
  clusterId: string;
  /** This node's id, unique in the cluster ([A-Za-z0-9._-], 1–64 characters). */
  nodeId: string;
  /** Listen for peers (with `server`). Omit for a client-only transport (a clerk). */
  listen?: { host?: string; port?: number };
  /** Dispatches inbound requests; required with `listen`. */
  server?: RpcServer;
  /** Addresses of the peers this node calls. More can be added with `setPeer`. */
  peers?: Readonly<Record<string, PeerAddress>>;
  /**
   * Which node ids may connect. Default: the ids in the address book
   * (`peers` and `setPeer`) at handshake time. Any other id is refused.
   */
  acceptFrom?: readonly string[] | ((nodeId: string) => boolean);
  /** Authentication; required when listening beyond loopback. */
  auth?: TcpAuthOptions;
  /** A call without a reply after this many ms resolves as lost. Default 2000. */
  callTimeoutMs?: number;
  /** Connecting plus the handshake, at most (ms), both ways. Default 3000. */
  handshakeTimeoutMs?: number;
  backoff?: Partial<BackoffOptions>;
  limits?: Partial<TcpLimits>;
  /** Drives deadlines and reconnect delays. Default: `RealClock`. */
  clock?: Clock;
  /** Draws reconnect jitter and fault decisions. Default: a crypto-seeded rng. */
  rng?: Rng;
  logger?: Logger;
  /** Payload codec; both ends must agree. Default: `msgpackCodec`. */
  codec?: Codec;
}

export const defaultLimits: Readonly<TcpLimits> = Object.freeze({
  maxFrameBytes: 16 * 1024 * 1024,
  maxQueueMessages: 4096,
  maxQueueBytes: 32 * 1024 * 1024,
  maxPendingCalls: 8192,
  maxInflightPerConnection: 1024,
  maxConnections: 1024,
});

/** Options with every default filled in and every bound checked. */
export interface ResolvedOptions {
  clusterId: string;
  nodeId: string;
  listen: { host: string; port: number } | undefined;
  server: RpcServer | undefined;
  peers: Map<string, PeerAddress>;
  acceptFrom: readonly string[] | ((nodeId: string) => boolean) | undefined;
  secret: Buffer | undefined;
  tls: TlsFiles | undefined;
  callTimeoutMs: number;
  handshakeTimeoutMs: number;
  backoff: BackoffOptions;
  limits: TcpLimits;
  clock: Clock;
  rng: Rng;
  logger: Logger;
  codec: Codec;
}

const ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

function bad(argument: string, message: string): never {
  throw new InvalidArgumentError({ argument, message });
}

/** Throws InvalidArgumentError unless `id` is a valid node or cluster id. */
export function checkId(argument: string, id: unknown): asserts id is string {
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    bad(
      argument,
      `${argument} must be 1–64 characters of [A-Za-z0-9._-], got ${JSON.stringify(id)}`,
    );
  }
}

function checkInt(argument: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    bad(argument, `${argument} must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
  return value;
}

/** Throws InvalidArgumentError unless `address` is a usable { host, port }. */
export function checkAddress(argument: string, address: unknown): PeerAddress {
  const a = address as PeerAddress | undefined;
  if (typeof a !== 'object' || a === null || typeof a.host !== 'string' || a.host === '') {
    bad(argument, `${argument} must be { host, port } with a non-empty host`);
  }
  checkInt(`${argument}.port`, a.port, 1, 65535);
  return { host: a.host, port: a.port };
}

/** True for 127.0.0.0/8, ::1 and "localhost". */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Fills defaults and checks every option; throws a typed error naming the bad one. */
export function resolveOptions(options: TcpTransportOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) bad('options', 'options must be an object');
  checkId('clusterId', options.clusterId);
  checkId('nodeId', options.nodeId);
  const peers = new Map<string, PeerAddress>();
  for (const [id, address] of Object.entries(options.peers ?? {})) {
    checkId(`peers key`, id);
    peers.set(id, checkAddress(`peers.${id}`, address));
  }
  let listen: ResolvedOptions['listen'];
  if (options.listen !== undefined) {
    const host = options.listen.host ?? '127.0.0.1';
    if (typeof host !== 'string' || host === '') bad('listen.host', 'listen.host must be a host');
    const port = checkInt('listen.port', options.listen.port ?? 0, 0, 65535);
    listen = { host, port };
    if (options.server === undefined) {
      bad(
        'server',
        'a transport that listens needs an RpcServer to dispatch requests (options.server)',
      );
    }
  }
  const { secret: rawSecret, tls } = options.auth ?? {};
  let secret: Buffer | undefined;
  if (rawSecret !== undefined) {
    if (typeof rawSecret !== 'string' && !(rawSecret instanceof Uint8Array)) {
      bad('auth.secret', 'auth.secret must be a string or a Uint8Array');
    }
    secret = Buffer.from(rawSecret);
    if (secret.length < 16)
      bad('auth.secret', 'auth.secret must be at least 16 bytes; use a long random string');
  }
  if (tls !== undefined) {
    for (const key of ['certFile', 'keyFile', 'caFile'] as const) {
      if (typeof tls[key] !== 'string' || tls[key] === '') {
        bad(`auth.tls.${key}`, `auth.tls.${key} must be the path of a PEM file`);
      }
    }
  }
  if (
    listen !== undefined &&
    !isLoopback(listen.host) &&
    secret === undefined &&
    tls === undefined
  ) {
    throw new InsecureBindError({ host: listen.host });
  }
  const acceptFrom = options.acceptFrom;
  if (acceptFrom !== undefined && typeof acceptFrom !== 'function') {
    if (!Array.isArray(acceptFrom))
      bad('acceptFrom', 'acceptFrom must be an array of node ids or a function');
    for (const id of acceptFrom) checkId('acceptFrom[]', id);
  }
  const limits: TcpLimits = { ...defaultLimits, ...definedOnly(options.limits) };
  checkInt('limits.maxFrameBytes', limits.maxFrameBytes, 1024, 2 ** 31);
  checkInt('limits.maxQueueMessages', limits.maxQueueMessages, 1, 2 ** 24);
  checkInt('limits.maxQueueBytes', limits.maxQueueBytes, limits.maxFrameBytes, 2 ** 32);
  checkInt('limits.maxPendingCalls', limits.maxPendingCalls, 1, 2 ** 24);
  checkInt('limits.maxInflightPerConnection', limits.maxInflightPerConnection, 1, 2 ** 20);
  checkInt('limits.maxConnections', limits.maxConnections, 1, 2 ** 20);
  const backoff: BackoffOptions = { baseMs: 50, maxMs: 2000, ...definedOnly(options.backoff) };
  checkInt('backoff.baseMs', backoff.baseMs, 1, 3_600_000);
  checkInt('backoff.maxMs', backoff.maxMs, backoff.baseMs, 3_600_000);
  return {
    clusterId: options.clusterId,
    nodeId: options.nodeId,
    listen,
    server: options.server,
    peers,
    acceptFrom,
    secret,
    tls,
    callTimeoutMs: checkInt('callTimeoutMs', options.callTimeoutMs ?? 2000, 1, 3_600_000),
    handshakeTimeoutMs: checkInt(
      'handshakeTimeoutMs',
      options.handshakeTimeoutMs ?? 3000,
      1,
      3_600_000,
    ),
    backoff,
    limits,
    clock: options.clock ?? new RealClock(),
    rng: options.rng ?? createCryptoRng(),
    logger: options.logger ?? noopLogger,
    codec: options.codec ?? msgpackCodec,
  };
}

function definedOnly<T extends object>(partial: T | undefined): Partial<T> {
  if (partial === undefined) return {};
  return Object.fromEntries(
    Object.entries(partial).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}
