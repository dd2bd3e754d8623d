import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createCryptoRng, InvalidArgumentError, RealClock, RpcServer } from '@raftkit/core';
import { KvGateway, KvServer } from '@raftkit/kvserver';
import { DiskPersister, NodeFileSystem } from '@raftkit/persister';
import { createTcpTransport, type TcpAuthOptions, type TcpTransport } from '@raftkit/transport-tcp';
import type { ServeConfig } from './config.js';
import { FatalOnFailureStorage } from './fatal-storage.js';
import { type FaultAdmin, startFaultAdmin } from './fault-admin.js';
import { membersOf } from './member-ids.js';
import type { CreateNode, NodeRole, NodeRuntime } from './node-runtime.js';
import { timedFileSystem } from './timed-file-system.js';

/** Node ids a native clerk may use to connect over the transport (besides the members). */
export const CLERK_ID_PREFIX = 'clerk-';

function authOf(config: ServeConfig): TcpAuthOptions | undefined {
  const s = config.security;
  if (s.kind === 'none') return undefined;
  if (s.kind === 'tls')
    return { tls: { certFile: s.certFile, keyFile: s.keyFile, caFile: s.caFile } };
  let secret: string;
  try {
    secret = readFileSync(s.secretFile, 'utf8').trim();
  } catch (error) {
    throw new InvalidArgumentError({
      argument: 'secret-file',
      message: `cannot read the cluster secret ${s.secretFile}: ${(error as Error).message}`,
    });
  }
  return { secret };
}

function addressOf(text: string): { host: string; port: number } {
  const cut = text.lastIndexOf(':');
  return { host: text.slice(0, cut).replace(/^\[|\]$/g, ''), port: Number(text.slice(cut + 1)) };
}

/**
 * Assembles one node: the disk persister (@raftkit/persister) opened on `config.dataDir` (its
 * datasyncs timed for the WAL fsync histogram, a failed save turned into `fatal`), the TCP
 * transport (@raftkit/transport-tcp) listening on `config.listenPeer` with one client end per
 * member and `config.security`, a KvServer (@raftkit/kvserver) with `config.raft` and
 * `config.snapshotThresholdBytes` serving Raft, the native clerk protocol (clerks connect as
 * `clerk-<anything>`) and the gateway's forwards on that transport, its etcd v3 JSON gateway as
 * `handleGateway`, and, when `config.listenAdmin` is set, the loopback fault admin endpoint.
 * This is the only module of the serve process that imports those three packages.
 */
export const createNode: CreateNode = async (config, { logger, observers }) => {
  const me = config.peers.findIndex((p) => p.id === config.nodeId);
  const auth = authOf(config);
  let reportFatal!: (error: Error) => void;
  const fatal = new Promise<Error>((r) => {
    reportFatal = r;
  });
  const disk = await DiskPersister.open({
    dir: resolve(config.dataDir),
    fs: timedFileSystem(new NodeFileSystem(), observers.walFsync),
    logger,
  });
  let kv: KvServer | undefined;
  const storage = new FatalOnFailureStorage(disk, (error) => {
    kv?.kill();
    reportFatal(error);
  });
  const rpc = new RpcServer();
  const members = new Set(config.peers.map((p) => p.id));
  let transport: TcpTransport;
  try {
    transport = await createTcpTransport({
      clusterId: config.clusterId,
      nodeId: config.nodeId,
      listen: config.listenPeer,
      server: rpc,
      peers: Object.fromEntries(config.peers.map((p) => [p.id, addressOf(p.address)])),
      acceptFrom: (id) => members.has(id) || id.startsWith(CLERK_ID_PREFIX),
      ...(auth !== undefined ? { auth } : {}),
      logger,
    });
  } catch (error) {
    await disk.close();
    throw error;
  }
  const server = new KvServer({
    peers: config.peers.map((p) => transport.end(p.id)),
    me,
    persister: storage,
    maxRaftState: config.snapshotThresholdBytes,
    clock: new RealClock(),
    rng: createCryptoRng(),
    logger,
    members: membersOf(config),
    // Under light load the next write's entries carry the commit news to followers, which saves
    // a message round per write on the leader and the followers; 2 ms is what followers'
    // applies (and writes forwarded through their gateways) may lag by at most.
    raft: { ...config.raft },
  });
  kv = server;
  let proposals = 0;
  const start = server.raft.start.bind(server.raft);
  server.raft.start = (command) => {
    proposals += 1;
    return start(command);
  };
  server.register(rpc);
  const gateway = new KvGateway({ server });
  let admin: FaultAdmin | undefined;
  if (config.listenAdmin !== undefined) {
    try {
      admin = await startFaultAdmin(config.listenAdmin, transport.faults, () => transport.stats());
    } catch (error) {
      server.kill();
      await transport.close();
      await disk.close();
      throw error;
    }
  }
  let closed: Promise<void> | undefined;
  const runtime: NodeRuntime = {
    handleGateway: (req, res) => gateway.handleRequest(req, res),
    view() {
      const s = server.raft.status();
      const stats = transport.stats();
      const role: NodeRole =
        s.role === 'leader' ? 'leader' : s.role === 'follower' ? 'follower' : 'candidate';
      return {
        role,
        term: s.term,
        commitIndex: s.commitIndex,
        appliedIndex: server.appliedIndex,
        leaderId: s.leader >= 0 && !server.killed ? config.peers[s.leader]?.id : undefined,
        proposals,
        transportDrops: stats.lost,
        transportReconnects: stats.reconnects,
      };
    },
    fatal,
    close() {
      closed ??= (async () => {
        storage.closing();
        await admin?.close();
        server.kill();
        await transport.close();
        await disk.close();
      })();
      return closed;
    },
  };
  return runtime;
};
