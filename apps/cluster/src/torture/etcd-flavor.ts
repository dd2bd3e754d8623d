import { join } from 'node:path';
import type { ClusterFlavor, ClusterPlan, NodeLaunch } from './cluster-flavor.js';

/**
 * Members of a private etcd cluster (Debian's etcd-server 3.4) on 127.0.0.1, as the shared
 * anchor benchmark starts them: default tuning (etcd always fsyncs its WAL), warn-level zap logs
 * on stderr. A restart with the same arguments reuses the data dir; etcd then ignores the
 * initial-cluster flags and rejoins with its stored identity.
 */
export function etcdFlavor(etcdBin = process.env.ETCD_BIN ?? 'etcd'): ClusterFlavor {
  return {
    name: 'etcd',
    plan(p: ClusterPlan): NodeLaunch[] {
      const ids = Array.from({ length: p.nodes }, (_, i) => `n${i + 1}`);
      const peer = (i: number) => `http://127.0.0.1:${p.peerPorts[i]}`;
      const client = (i: number) => `http://127.0.0.1:${p.clientPorts[i]}`;
      const initialCluster = ids.map((id, i) => `${id}=${peer(i)}`).join(',');
      return ids.map((id, i) => {
        const dataDir = join(p.baseDir, id);
        return {
          id,
          command: etcdBin,
          args: [
            '--name',
            id,
            '--data-dir',
            dataDir,
            '--listen-client-urls',
            client(i),
            '--advertise-client-urls',
            client(i),
            '--listen-peer-urls',
            peer(i),
            '--initial-advertise-peer-urls',
            peer(i),
            '--initial-cluster',
            initialCluster,
            '--initial-cluster-token',
            p.clusterToken,
            '--initial-cluster-state',
            'new',
            '--logger',
            'zap',
            '--log-outputs',
            'stderr',
            '--log-level',
            'warn',
          ],
          clientUrl: client(i),
          peerUrl: peer(i),
          dataDir,
        };
      });
    },
  };
}
