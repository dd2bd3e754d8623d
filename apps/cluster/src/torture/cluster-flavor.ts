/**
 * How to run one node of a cluster under test as its own process. The torture run, `raftkit
 * up` and the tests start, kill, pause and restart nodes only through these launch specs, so a
 * cluster of etcd members and a cluster of raftkit nodes are driven the same way.
 */
export interface NodeLaunch {
  /** Stable node name, e.g. "n1". */
  id: string;
  command: string;
  args: readonly string[];
  env?: Readonly<Record<string, string>>;
  /** The node's client URL (etcd v3 JSON gateway), e.g. http://127.0.0.1:23791. */
  clientUrl: string;
  /** The address peers reach it on. */
  peerUrl: string;
  dataDir: string;
  /** Where the node's fault admin endpoint listens (loopback), when the flavor has one. */
  adminUrl?: string;
}

export interface ClusterPlan {
  nodes: number;
  /** Folder under which each node gets its data directory. */
  baseDir: string;
  clientPorts: readonly number[];
  peerPorts: readonly number[];
  /** Ports for fault admin endpoints, one per node; only used by flavors with network faults. */
  adminPorts?: readonly number[];
  /** Distinguishes this cluster from any other (etcd's initial-cluster-token, raftkit's cluster id). */
  clusterToken: string;
}

/**
 * Network faults between nodes, where the cluster's transport offers them (raftkit's TCP fault
 * layer); etcd's members cannot be partitioned from outside without root network tools.
 */
export interface NetworkFaults {
  /** Nodes in different groups cannot reach each other (both directions). */
  partition(groups: readonly (readonly string[])[]): Promise<void>;
  /** Messages from `from` to `to` are dropped; the other direction still works. */
  cutOneWay(from: string, to: string): Promise<void>;
  /** Every link works again. */
  heal(): Promise<void>;
  /** Releases what the controller holds (connections). */
  close?(): void;
}

/** A kind of cluster: how to launch its nodes, and which fault capabilities it has. */
export interface ClusterFlavor {
  readonly name: string;
  /** Launch specs for a fresh cluster; restarting a node reuses its spec on the same data dir. */
  plan(plan: ClusterPlan): NodeLaunch[];
  /** Present when the cluster can be partitioned (see NetworkFaults). */
  networkFaults?(launches: readonly NodeLaunch[]): NetworkFaults;
}
