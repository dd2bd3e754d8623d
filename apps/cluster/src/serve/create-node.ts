import { NodeUnavailableError } from '../errors/node-unavailable-error.js';
import type { CreateNode } from './node-runtime.js';

/**
 * Assembles one node: the disk persister (@raftkit/persister) opened on `config.dataDir`, the
 * TCP transport (@raftkit/transport-tcp) listening on `config.listenPeer` with one client end
 * per peer and `config.security`, a KvServer (@raftkit/kvserver) with `config.raft` and
 * `config.snapshotThresholdBytes`, and its etcd v3 JSON gateway as `handleGateway`. This is the
 * only module of the serve process that imports those three packages.
 *
 * This build has none of them yet, so it refuses with a NodeUnavailableError that names them.
 */
export const createNode: CreateNode = async () => {
  throw new NodeUnavailableError({
    missing: [
      'the TCP transport (@raftkit/transport-tcp)',
      'the disk persister (@raftkit/persister)',
      'the etcd v3 JSON gateway (@raftkit/kvserver)',
    ],
  });
};
