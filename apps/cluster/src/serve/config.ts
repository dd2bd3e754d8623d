import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from '@raftkit/core';

/** A host and port to listen on. */
export interface ListenAddress {
  host: string;
  port: number;
}

/** How peers (and the transport's clients) authenticate. */
export type PeerSecurity =
  /** Only allowed when every listener is on loopback. */
  | { kind: 'none' }
  /** Development: a shared cluster secret checked by an HMAC challenge (never sent in clear). */
  | { kind: 'secret'; secretFile: string }
  /** Mutual TLS with certificates signed by `caFile`. */
  | { kind: 'tls'; certFile: string; keyFile: string; caFile: string };

/**
 * How the client listener (gateway, /health, /metrics) is served. Separate from the peers'
 * security, as etcd keeps `--cert-file`/`--trusted-ca-file` apart from `--peer-*`.
 */
export type ClientSecurity =
  /** Plain HTTP: no encryption, no client authentication. */
  | { kind: 'plain' }
  /** HTTPS with this certificate and key; any client may connect. */
  | { kind: 'tls'; certFile: string; keyFile: string }
  /** HTTPS, and every client must present a certificate that chains to `caFile`. */
  | { kind: 'mtls'; certFile: string; keyFile: string; caFile: string };

export interface RaftTuning {
  electionTimeoutMinMs: number;
  electionTimeoutMaxMs: number;
  heartbeatIntervalMs: number;
  preVote: boolean;
  checkQuorum: boolean;
  /** See `RaftConfig.commitNotifyDelayMs` (ms; followers may apply this much later). */
  commitNotifyDelayMs: number;
}

/** Everything one `raftkit serve` node needs; validated by `validateServeConfig`. */
export interface ServeConfig {
  /** This node's id; one of `peers`. */
  nodeId: string;
  /** Shared by every node of the cluster; the transport refuses peers of another cluster. */
  clusterId: string;
  /**
   * Every member, this node included, in the same order on every node: its transport address
   * and, when known, the client URL it advertises (member list, `endpoint status --cluster`).
   */
  peers: { id: string; address: string; clientUrl?: string }[];
  /** HTTP(S): etcd v3 JSON gateway, /health, /metrics. */
  listenClient: ListenAddress;
  /** Plain HTTP, HTTPS, or HTTPS requiring client certificates on `listenClient`. */
  clientSecurity: ClientSecurity;
  /** TCP transport for Raft and the native clerk protocol. */
  listenPeer: ListenAddress;
  /**
   * Optional loopback-only HTTP endpoint that drives the transport's fault layer (partitions and
   * one-way cuts for `raftkit torture`). Absent: no fault control at all.
   */
  listenAdmin?: ListenAddress;
  dataDir: string;
  security: PeerSecurity;
  raft: RaftTuning;
  /** Snapshot when the persisted Raft state nears this many bytes (-1: never). */
  snapshotThresholdBytes: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

/**
 * etcd's defaults (heartbeat 100 ms, election timeout 1000 ms, randomised up to 2×): on a shared,
 * overloaded host a starved process can miss a few heartbeats, and 300-600 ms elections then
 * depose healthy leaders under load (seen in the benchmark at 256 clients).
 */
export const DEFAULT_RAFT_TUNING: RaftTuning = {
  electionTimeoutMinMs: 1000,
  electionTimeoutMaxMs: 2000,
  heartbeatIntervalMs: 100,
  preVote: true,
  checkQuorum: true,
  // Under light load the next write's entries carry the commit news to followers, which saves a
  // message round per write on every node; followers' applies lag by at most this much.
  commitNotifyDelayMs: 2,
};

export const DEFAULT_SNAPSHOT_THRESHOLD = 8 * 1024 * 1024;

function bad(argument: string, message: string): never {
  throw new InvalidArgumentError({ argument, message });
}

/** `host:port` → ListenAddress; the port must be in minPort..65535 (0: any free port). */
export function parseListen(argument: string, text: string, minPort = 0): ListenAddress {
  const m = /^(.*):(\d+)$/.exec(text);
  const port = m ? Number(m[2]) : Number.NaN;
  if (!m || m[1] === '' || !(port >= minPort && port <= 65535)) {
    bad(argument, `${argument} must be host:port with a port in ${minPort}..65535, got "${text}"`);
  }
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

/** `n1=127.0.0.1:12380,n2=…` → peers in order. */
export function parsePeers(text: string): ServeConfig['peers'] {
  return text
    .split(',')
    .filter((s) => s.trim() !== '')
    .map((item) => {
      const eq = item.indexOf('=');
      if (eq <= 0) bad('peers', `each peer is id=host:port, got "${item}"`);
      const id = item.slice(0, eq).trim();
      const address = item.slice(eq + 1).trim();
      parseListen('peers', address, 1);
      return { id, address };
    });
}

export const isLoopback = (host: string): boolean =>
  host === '127.0.0.1' || host === 'localhost' || host === '::1';

/** Checks every field and cross-field rule; throws InvalidArgumentError naming the first problem. */
export function validateServeConfig(c: ServeConfig): ServeConfig {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(c.nodeId))
    bad('node-id', `node id must be 1-64 letters, digits, "_", "." or "-", got "${c.nodeId}"`);
  if (!/^[A-Za-z0-9_.-]{1,128}$/.test(c.clusterId))
    bad(
      'cluster-id',
      `cluster id must be 1-128 letters, digits, "_", "." or "-", got "${c.clusterId}"`,
    );
  if (c.peers.length === 0)
    bad('peers', 'give every member as --peers id=host:port,… (this node included)');
  const ids = new Set(c.peers.map((p) => p.id));
  if (ids.size !== c.peers.length) bad('peers', 'peer ids must be distinct');
  if (!ids.has(c.nodeId))
    bad('peers', `this node (${c.nodeId}) must be one of the peers (${[...ids].join(', ')})`);
  if (c.dataDir === '') bad('data-dir', 'a data directory is required');
  const t = c.raft;
  if (
    !(
      Number.isInteger(t.heartbeatIntervalMs) &&
      t.heartbeatIntervalMs >= 1 &&
      t.heartbeatIntervalMs <= 10_000
    )
  )
    bad(
      'heartbeat-ms',
      `heartbeat must be an integer in [1, 10000] ms, got ${t.heartbeatIntervalMs}`,
    );
  if (
    !(
      Number.isInteger(t.commitNotifyDelayMs) &&
      t.commitNotifyDelayMs >= 0 &&
      t.commitNotifyDelayMs <= 1000
    )
  )
    bad(
      'commit-notify-delay-ms',
      `the commit notify delay must be an integer in [0, 1000] ms, got ${t.commitNotifyDelayMs}`,
    );
  if (!(t.electionTimeoutMinMs >= 3 * t.heartbeatIntervalMs))
    bad(
      'election-timeout-min-ms',
      `the election timeout (${t.electionTimeoutMinMs} ms) must be at least 3× the heartbeat (${t.heartbeatIntervalMs} ms)`,
    );
  if (!(t.electionTimeoutMaxMs > t.electionTimeoutMinMs && t.electionTimeoutMaxMs <= 60_000))
    bad(
      'election-timeout-max-ms',
      `the maximum election timeout must exceed the minimum and be ≤ 60000 ms, got ${t.electionTimeoutMaxMs}`,
    );
  if (
    !(
      c.snapshotThresholdBytes === -1 ||
      (Number.isSafeInteger(c.snapshotThresholdBytes) && c.snapshotThresholdBytes >= 4096)
    )
  )
    bad(
      'snapshot-threshold',
      `the snapshot threshold must be -1 (never) or ≥ 4096 bytes, got ${c.snapshotThresholdBytes}`,
    );
  if (c.listenAdmin !== undefined && !isLoopback(c.listenAdmin.host))
    bad(
      'listen-admin',
      `the fault-injection admin endpoint binds loopback only (127.0.0.1, ::1), got "${c.listenAdmin.host}"`,
    );
  for (const p of c.peers) {
    if (p.clientUrl !== undefined && !/^https?:\/\/[^/\s]+$/.test(p.clientUrl))
      bad('client-urls', `a client URL is http(s)://host:port, got "${p.clientUrl}" for ${p.id}`);
  }
  const me = c.peers.find((p) => p.id === c.nodeId);
  const secure = c.clientSecurity.kind !== 'plain';
  if (me?.clientUrl !== undefined && me.clientUrl.startsWith('https://') !== secure)
    bad(
      'client-urls',
      secure
        ? `this node serves its clients over HTTPS (--client-tls-cert), so it must advertise an https:// URL, got "${me.clientUrl}" for ${me.id}`
        : `this node advertises "${me.clientUrl}" for ${me.id} but serves plain HTTP; add --client-tls-cert/--client-tls-key or advertise http://`,
    );
  // The transport carries Raft and the native clerk protocol: beyond loopback it must
  // authenticate peers. The client listener beyond loopback needs some authentication too:
  // client certificates (--client-tls-ca) or, as before client TLS existed, peer authentication
  // (kept so that existing deployments still start; the node then warns that clients are
  // neither encrypted nor authenticated when it serves plain HTTP).
  if (!isLoopback(c.listenPeer.host) && c.security.kind === 'none')
    bad(
      'security',
      `listening beyond loopback needs --secret-file or --tls-cert/--tls-key/--tls-ca (peer listener on "${c.listenPeer.host}")`,
    );
  if (
    !isLoopback(c.listenClient.host) &&
    c.security.kind === 'none' &&
    c.clientSecurity.kind !== 'mtls'
  )
    bad(
      'security',
      `listening beyond loopback needs --secret-file or --tls-cert/--tls-key/--tls-ca, or client certificates (--client-tls-cert/--client-tls-key/--client-tls-ca) for the client listener on "${c.listenClient.host}"`,
    );
  return c;
}

/** The command-line flags of `raftkit serve` (all optional when a config file gives them). */
export interface ServeFlags {
  config?: string;
  nodeId?: string;
  clusterId?: string;
  peers?: string;
  listenClient?: string;
  listenPeer?: string;
  listenAdmin?: string;
  /** `n1=http://127.0.0.1:12379,…`: the client URLs members advertise. */
  clientUrls?: string;
  dataDir?: string;
  secretFile?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
  /** HTTPS on the client listener: its certificate and key (both or neither). */
  clientTlsCert?: string;
  clientTlsKey?: string;
  /** Require client certificates signed by this CA (needs clientTlsCert). */
  clientTlsCa?: string;
  electionTimeoutMinMs?: number;
  electionTimeoutMaxMs?: number;
  heartbeatMs?: number;
  preVote?: boolean;
  checkQuorum?: boolean;
  commitNotifyDelayMs?: number;
  snapshotThreshold?: number;
  logLevel?: ServeConfig['logLevel'];
}

/**
 * The config from a JSON file (`--config`, shaped like ServeConfig with listen addresses as
 * "host:port" strings) overridden by flags, then validated.
 */
export function resolveServeConfig(flags: ServeFlags): ServeConfig {
  let file: Partial<Record<string, unknown>> = {};
  if (flags.config !== undefined) {
    try {
      file = JSON.parse(readFileSync(flags.config, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      bad('config', `cannot read the config file ${flags.config}: ${(error as Error).message}`);
    }
  }
  const str = (flag: string | undefined, key: string): string | undefined =>
    flag ?? (typeof file[key] === 'string' ? (file[key] as string) : undefined);
  const need = (value: string | undefined, name: string): string =>
    value ?? bad(name, `--${name} is required (flag or config file)`);
  const fileRaft = (
    typeof file.raft === 'object' && file.raft !== null ? file.raft : {}
  ) as Partial<RaftTuning>;
  const secret = str(flags.secretFile, 'secretFile');
  const cert = str(flags.tlsCert, 'tlsCert');
  const security: PeerSecurity = cert
    ? {
        kind: 'tls',
        certFile: cert,
        keyFile: need(str(flags.tlsKey, 'tlsKey'), 'tls-key'),
        caFile: need(str(flags.tlsCa, 'tlsCa'), 'tls-ca'),
      }
    : secret
      ? { kind: 'secret', secretFile: secret }
      : { kind: 'none' };
  const clientSecurity = clientSecurityOf(
    str(flags.clientTlsCert, 'clientTlsCert'),
    str(flags.clientTlsKey, 'clientTlsKey'),
    str(flags.clientTlsCa, 'clientTlsCa'),
  );
  const peersText =
    flags.peers ?? (Array.isArray(file.peers) ? undefined : str(undefined, 'peers'));
  const peers =
    peersText !== undefined
      ? parsePeers(peersText)
      : Array.isArray(file.peers)
        ? (file.peers as ServeConfig['peers'])
        : [];
  const clientUrlsText = str(flags.clientUrls, 'clientUrls');
  if (clientUrlsText !== undefined) {
    for (const item of clientUrlsText.split(',').filter((x) => x.trim() !== '')) {
      const eq = item.indexOf('=');
      const peer = peers.find((p) => p.id === item.slice(0, eq).trim());
      if (eq <= 0 || peer === undefined)
        bad('client-urls', `each client URL is id=url with the id of a peer, got "${item}"`);
      peer.clientUrl = item.slice(eq + 1).trim();
    }
  }
  const admin = str(flags.listenAdmin, 'listenAdmin');
  return validateServeConfig({
    ...(admin !== undefined ? { listenAdmin: parseListen('listen-admin', admin, 0) } : {}),
    nodeId: need(str(flags.nodeId, 'nodeId'), 'node-id'),
    clusterId: str(flags.clusterId, 'clusterId') ?? 'raftkit',
    peers,
    listenClient: parseListen(
      'listen-client',
      need(str(flags.listenClient, 'listenClient'), 'listen-client'),
    ),
    listenPeer: parseListen(
      'listen-peer',
      need(str(flags.listenPeer, 'listenPeer'), 'listen-peer'),
      1,
    ),
    dataDir: need(str(flags.dataDir, 'dataDir'), 'data-dir'),
    security,
    clientSecurity,
    raft: {
      electionTimeoutMinMs:
        flags.electionTimeoutMinMs ??
        fileRaft.electionTimeoutMinMs ??
        DEFAULT_RAFT_TUNING.electionTimeoutMinMs,
      electionTimeoutMaxMs:
        flags.electionTimeoutMaxMs ??
        fileRaft.electionTimeoutMaxMs ??
        DEFAULT_RAFT_TUNING.electionTimeoutMaxMs,
      heartbeatIntervalMs:
        flags.heartbeatMs ??
        fileRaft.heartbeatIntervalMs ??
        DEFAULT_RAFT_TUNING.heartbeatIntervalMs,
      preVote: flags.preVote ?? fileRaft.preVote ?? DEFAULT_RAFT_TUNING.preVote,
      checkQuorum: flags.checkQuorum ?? fileRaft.checkQuorum ?? DEFAULT_RAFT_TUNING.checkQuorum,
      commitNotifyDelayMs:
        flags.commitNotifyDelayMs ??
        fileRaft.commitNotifyDelayMs ??
        DEFAULT_RAFT_TUNING.commitNotifyDelayMs,
    },
    snapshotThresholdBytes:
      flags.snapshotThreshold ??
      (typeof file.snapshotThresholdBytes === 'number'
        ? file.snapshotThresholdBytes
        : DEFAULT_SNAPSHOT_THRESHOLD),
    logLevel:
      flags.logLevel ??
      (str(undefined, 'logLevel') as ServeConfig['logLevel'] | undefined) ??
      'info',
  });
}

/** The client listener's security from its three optional files; the cert and key go together. */
function clientSecurityOf(
  certFile: string | undefined,
  keyFile: string | undefined,
  caFile: string | undefined,
): ClientSecurity {
  if (certFile === undefined && keyFile === undefined) {
    if (caFile !== undefined)
      bad(
        'client-tls-ca',
        '--client-tls-ca requires client certificates over HTTPS: also give --client-tls-cert and --client-tls-key',
      );
    return { kind: 'plain' };
  }
  if (certFile === undefined || certFile === '')
    bad(
      'client-tls-cert',
      '--client-tls-key needs --client-tls-cert (the certificate of that key)',
    );
  if (keyFile === undefined || keyFile === '')
    bad('client-tls-key', '--client-tls-cert needs --client-tls-key (the key of that certificate)');
  if (caFile === undefined) return { kind: 'tls', certFile, keyFile };
  if (caFile === '') bad('client-tls-ca', '--client-tls-ca must be the path of a PEM file');
  return { kind: 'mtls', certFile, keyFile, caFile };
}
