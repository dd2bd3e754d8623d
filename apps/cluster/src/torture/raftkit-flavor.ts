import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClusterFlavor, ClusterPlan, NodeLaunch } from './cluster-flavor.js';

/** The built CLI this module belongs to (dist/cli.js beside dist/index.js). */
export function defaultCliPath(): string {
  return fileURLToPath(new URL('./cli.js', import.meta.url));
}

/**
 * raftkit nodes: `node <cli> serve` per node with every setting on the command line (see
 * `raftkit serve --help`). Each node's peer address is its transport listener; a restart reuses
 * the same flags, and the node recovers its state from `--data-dir`.
 */
export function raftkitFlavor(cliPath = defaultCliPath()): ClusterFlavor {
  return {
    name: 'raftkit',
    plan(p: ClusterPlan): NodeLaunch[] {
      const ids = Array.from({ length: p.nodes }, (_, i) => `n${i + 1}`);
      const peers = ids.map((id, i) => `${id}=127.0.0.1:${p.peerPorts[i]}`).join(',');
      return ids.map((id, i) => {
        const dataDir = join(p.baseDir, id);
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
            '--listen-client',
            `127.0.0.1:${p.clientPorts[i]}`,
            '--listen-peer',
            `127.0.0.1:${p.peerPorts[i]}`,
            '--data-dir',
            dataDir,
          ],
          clientUrl: `http://127.0.0.1:${p.clientPorts[i]}`,
          peerUrl: `127.0.0.1:${p.peerPorts[i]}`,
          dataDir,
        };
      });
    },
  };
}
