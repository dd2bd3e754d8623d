import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@raftkit/core';
import type { ServeConfig } from './config.js';

/** A node's Raft role as the metrics and /health report it. */
export type NodeRole = 'leader' | 'follower' | 'candidate';

/** Point-in-time view of a running node (read by /health and every /metrics scrape). */
export interface NodeView {
  role: NodeRole;
  term: number;
  commitIndex: number;
  appliedIndex: number;
  /** The leader's node id, when this node knows one. */
  leaderId: string | undefined;
  /** Monotonic counts since the process started. */
  proposals: number;
  transportDrops: number;
  transportReconnects: number;
}

/** Measurements a node reports as they happen; the serve process turns them into histograms. */
export interface NodeObservers {
  /** One WAL fsync (datasync) took this many seconds. */
  walFsync(seconds: number): void;
}

/**
 * What `raftkit serve` needs from an assembled node (Raft + kv state machine + TCP transport +
 * disk persister + etcd gateway). `createNode` builds it; nothing else in the serve process
 * knows those packages.
 */
export interface NodeRuntime {
  /** Answers one request of the etcd v3 JSON gateway (every path but /health and /metrics). */
  handleGateway(req: IncomingMessage, res: ServerResponse): void;
  view(): NodeView;
  /**
   * Settles with the error when storage fails (a write or fsync error): from then on the node
   * acknowledges nothing, and the process must exit non-zero.
   */
  readonly fatal: Promise<Error>;
  /** Graceful stop: take no new proposals, let in-flight ones settle, flush and close storage and transport. */
  close(): Promise<void>;
}

export interface NodeDeps {
  logger: Logger;
  observers: NodeObservers;
}

/** Builds and starts a node from its config; rejects (with a typed error) when it cannot start. */
export type CreateNode = (config: ServeConfig, deps: NodeDeps) => Promise<NodeRuntime>;
