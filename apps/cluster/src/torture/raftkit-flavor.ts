import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClusterFlavor, ClusterPlan, NetworkFaults, NodeLaunch } from './cluster-flavor.js';
import { adminFaults } from './admin-faults.js';

/** The built CLI this module belongs to (dist/cli.js beside dist/index.js). */
export function defaultCliPath(): string {
  return fileURLToPath(new URL('./cli.js', import.meta.url));
}

/**
 * raftkit nodes: `node <cli> serve` per node with every setting on the command line (see
 * `raftkit serve --help`). Each node's peer address is its transport listener; a restart reuses
 * the same flags, and the node recovers its state from `--data-dir`. With `adminPorts` in the
 * plan each node also serves its loopback fault admin endpoint, and the flavor offers
 * partitions and one-way cuts through the transports' fault layers.
 */
export function raftkitFlavor(cliPath = defaultCliPath()): ClusterFlavor {
  return {
    name: 'raftkit',
    plan(p: ClusterPlan): NodeLaunch[] {
      const ids = Array.from({ length: p.nodes }, (_, i) => `n${i + 1}`);
      const peers = ids.map((id, i) => `${id}=127.0.0.1:${p.peerPorts[i]}`).join(',');
      const clientUrls = ids.map((id, i) => `${id}=http://127.0.0.1:${p.clientPorts[i]}`);
      return ids.map((id, i) => {
        const dataDir = join(p.baseDir, id);
        const admin = p.adminPorts?.[i];
        return {
          id,
          command: process.execPath,
          args: [
            cliPath,
            'serve',
            '--node-id',
            id,
            '--cluster-id',
            p.clusterToken,
            '--peers',
            peers,
            '--client-urls',
            clientUrls.join(','),
            '--listen-client',
            `127.0.0.1:${p.clientPorts[i]}`,
            '--listen-peer',
            `127.0.0.1:${p.peerPorts[i]}`,
            ...(admin !== undefined ? ['--listen-admin', `127.0.0.1:${admin}`] : []),
            '--data-dir',
            dataDir,
          ],
          clientUrl: `http://127.0.0.1:${p.clientPorts[i]}`,
          peerUrl: `127.0.0.1:${p.peerPorts[i]}`,
          dataDir,
          ...(admin !== undefined ? { adminUrl: `http://127.0.0.1:${admin}` } : {}),
        };
      });
    },
    networkFaults(launches: readonly NodeLaunch[]): NetworkFaults {
      return adminFaults(launches);
    },
  };
}
