import { RaftkitError } from '@raftkit/core';
import type { DestinationStream } from 'pino';
import { type ClientTlsOptions, loadClientTls } from './client-tls.js';
import { isLoopback, type ServeConfig } from './config.js';
import { createNode as defaultCreateNode } from './create-node.js';
import { type ClientServer, startClientServer } from './http-server.js';
import { asRaftkitLogger, createServeLog } from './logger.js';
import { ServeMetrics } from './metrics.js';
import type { CreateNode, NodeRuntime } from './node-runtime.js';

/** Bound on answering in-flight requests at a graceful stop, ms. */
const DRAIN_MS = 10_000;

export interface ServeHandle {
  /** Where the client server listens. */
  clientAddress: { host: string; port: number };
  /** Graceful stop (SIGTERM/SIGINT): resolves with the exit code, 0. */
  stop(reason: string): Promise<number>;
  /** Settles with the exit code once the node stopped, gracefully (0) or on a fatal error (1). */
  readonly exited: Promise<number>;
}

export interface ServeDeps {
  createNode?: CreateNode;
  /** Where the JSON log goes (default: stdout, synchronously). */
  logDestination?: DestinationStream;
  /** The client listener's TLS material, already loaded (default: read per `clientSecurity`). */
  clientTls?: ClientTlsOptions;
}

/**
 * Starts a node and its client server. Resolves once serving; rejects with the one logged
 * error when the node cannot start. A fatal storage error closes every client connection at
 * once (nothing more is acknowledged), logs one line and settles `exited` with 1.
 */
export async function startServe(config: ServeConfig, deps: ServeDeps = {}): Promise<ServeHandle> {
  const log = createServeLog(config, deps.logDestination);
  let clientTls: ClientTlsOptions | undefined;
  try {
    // Before the node opens its data dir: a bad certificate is a startup error, not a half start.
    clientTls = deps.clientTls ?? loadClientTls(config.clientSecurity);
  } catch (error) {
    log.fatal({ err: error }, `cannot start: ${(error as Error).message}`);
    throw error;
  }
  if (config.clientSecurity.kind === 'plain' && !isLoopback(config.listenClient.host)) {
    log.warn(
      { client: config.listenClient },
      'the client listener is reachable beyond loopback over plain HTTP: requests and replies are neither encrypted nor authenticated; add --client-tls-cert/--client-tls-key (and --client-tls-ca to require client certificates)',
    );
  }
  let runtime: NodeRuntime | undefined;
  const metrics = new ServeMetrics(() => runtime?.view(), {
    node: config.nodeId,
    cluster: config.clusterId,
  });
  try {
    runtime = await (deps.createNode ?? defaultCreateNode)(config, {
      logger: asRaftkitLogger(log),
      observers: { walFsync: (s) => metrics.walFsync.observe(s) },
    });
  } catch (error) {
    log.fatal({ err: error }, `cannot start: ${(error as Error).message}`);
    throw error;
  }
  const node = runtime;
  let server: ClientServer;
  try {
    server = await startClientServer(config.listenClient, node, metrics, clientTls);
  } catch (error) {
    log.fatal(
      { err: error },
      `cannot listen on ${config.listenClient.host}:${config.listenClient.port}: ${(error as Error).message}`,
    );
    await node.close();
    throw error;
  }
  log.info(
    {
      client: server.address,
      clientSecurity: config.clientSecurity.kind,
      peer: config.listenPeer,
      dataDir: config.dataDir,
      peers: config.peers,
    },
    'serving',
  );

  let settle!: (code: number) => void;
  const exited = new Promise<number>((r) => {
    settle = r;
  });
  let stopping = false;
  node.fatal.then(
    async (error) => {
      if (stopping) return;
      stopping = true;
      await server.close(0);
      log.fatal(
        { err: error },
        `fatal storage error, stopping without acknowledging anything more: ${error.message}`,
      );
      settle(1);
    },
    () => {},
  );
  return {
    clientAddress: server.address,
    exited,
    async stop(reason) {
      if (stopping) return exited;
      stopping = true;
      log.info(
        { reason, inFlight: server.inFlight() },
        'stopping: no new connections, answering in-flight requests',
      );
      const drained = await server.close(DRAIN_MS);
      await node.close();
      log.info({ drained }, 'stopped');
      settle(0);
      return exited;
    },
  };
}

/** `raftkit serve` in this process: start, stop gracefully on SIGTERM/SIGINT, exit with the code. */
export async function runServe(config: ServeConfig, clientTls?: ClientTlsOptions): Promise<void> {
  let handle: ServeHandle;
  try {
    handle = await startServe(config, clientTls === undefined ? {} : { clientTls });
  } catch (error) {
    if (!RaftkitError.isInstance(error) && !(error instanceof Error)) throw error;
    process.exitCode = 1;
    return;
  }
  // Kept installed until exit: Ctrl-C in a terminal signals the whole process group, so a node
  // under `raftkit up` gets SIGINT from the terminal and SIGTERM from `up`; the second signal
  // must not fall back to the default action (instant death) mid-shutdown. stop() is idempotent.
  const onSignal = (signal: NodeJS.Signals) => void handle.stop(signal);
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const code = await handle.exited;
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  process.exit(code);
}
