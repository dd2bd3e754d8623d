import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayClient } from '../client/gateway-client.js';
import { createAgents, destroyAgents } from '../client/http-request.js';
import { freePorts } from '../util/free-ports.js';
import { createSeededRng } from '@raftkit/labrpc';
import type { ClusterFlavor } from './cluster-flavor.js';
import { TortureClients } from './clients.js';
import { leaderNode, waitUntilHealthy } from './cluster-watch.js';
import { type FaultEvent, FaultInjector, type FaultKind, type FaultOptions } from './faults.js';
import { HistoryRecorder } from './history.js';
import { ProcessManager } from './process-manager.js';
import { finalPhase } from './final-phase.js';
import { checkHistory } from './verdict.js';

export interface TortureOptions {
  flavor: ClusterFlavor;
  nodes: number;
  /** Length of the fault phase, s. */
  seconds: number;
  /** Fixes the fault schedule and the clients' choices (not real-process timing). */
  seed: number;
  clients: number;
  /** Contended keys. */
  keys: number;
  /** Run folder: data/, logs/, history.json, summary.json, history.html on failure. */
  outDir: string;
  requestTimeoutMs: number;
  faults: FaultOptions;
  /** Bound on the linearizability check, ms. */
  checkTimeoutMs: number;
  /** How long the cluster may take to elect a leader at start and after the heal, ms. */
  recoverMs: number;
  /** Keep data dirs and logs even when the run passes. */
  keep: boolean;
  /** Progress lines. */
  log: (line: string) => void;
}

export interface TortureReport {
  ok: boolean;
  /** Why the run failed; empty when it passed. */
  problems: string[];
  seed: number;
  flavor: string;
  nodes: number;
  outDir: string;
  historyPath: string;
  htmlPath?: string;
  operations: {
    total: number;
    ok: number;
    unknown: number;
    failedReads: number;
    /** Writes whose connection was refused (never sent): left out of the history. */
    refusedWrites: number;
  };
  faults: Record<FaultKind, number>;
  faultEvents: FaultEvent[];
  linearizability: 'ok' | 'illegal' | 'unknown' | 'not-checked';
  ackedWrites: number;
  missingAcked: number;
  wallMs: number;
  checkMs: number;
}

/**
 * One torture run: start the cluster, run recording clients while injecting faults, heal, let
 * every client finish, require fresh writes through every node, read everything back, stop the
 * cluster, then check the history for linearizability and every acknowledged write for presence.
 */
export async function runTorture(o: TortureOptions): Promise<TortureReport> {
  const started = performance.now();
  const dataDir = join(o.outDir, 'data');
  const logDir = join(o.outDir, 'logs');
  mkdirSync(dataDir, { recursive: true });
  const ports = await freePorts(3 * o.nodes);
  const launches = o.flavor.plan({
    nodes: o.nodes,
    baseDir: dataDir,
    clientPorts: ports.slice(0, o.nodes),
    peerPorts: ports.slice(o.nodes, 2 * o.nodes),
    adminPorts: ports.slice(2 * o.nodes),
    clusterToken: `torture-${o.seed}-${process.pid}`,
  });
  const endpoints = launches.map((l) => new URL(l.clientUrl));
  const pm = new ProcessManager(launches, logDir);
  const admin = new GatewayClient({ endpoints, timeoutMs: 500 });
  const agents = createAgents(o.clients + 8);
  const recorder = new HistoryRecorder();
  const rng = createSeededRng(o.seed);
  const problems: string[] = [];
  const prefix = 'torture/';
  const t = () => ((performance.now() - started) / 1000).toFixed(1).padStart(5);
  const clients = new TortureClients({
    endpoints,
    recorder,
    agents,
    rng: rng.fork('clients'),
    keys: o.keys,
    ackFraction: 0.2,
    readFraction: 0.4,
    timeoutMs: o.requestTimeoutMs,
    prefix,
  });
  const network = o.flavor.networkFaults?.(launches);
  const injector = new FaultInjector(
    pm,
    network,
    rng.fork('faults'),
    o.faults,
    () => leaderNode(admin, launches),
    (e) =>
      o.log(`${t()}s fault ${e.kind} ${e.targets.join(' ')}${e.includesLeader ? ' (leader)' : ''}`),
  );
  let acked = 0;
  let missing = 0;
  try {
    for (const l of launches) pm.start(l.id);
    const leader = await waitUntilHealthy(admin, launches, o.recoverMs);
    if (leader === undefined) {
      problems.push(`the cluster did not elect a leader within ${o.recoverMs} ms of starting`);
      return await finish();
    }
    o.log(
      `${t()}s ${o.flavor.name} cluster of ${o.nodes} up, leader ${leader}; seed ${o.seed}; ${o.seconds}s of faults`,
    );
    clients.start(o.clients);
    const progress = setInterval(() => {
      const c = recorder.counts();
      const f = injector.counts;
      o.log(
        `${t()}s ops ${c.total} (unknown ${c.unknown}, failed reads ${clients.failedReads}, refused writes ${clients.definiteFailures}) faults kill ${f.kill} pause ${f.pause} partition ${f.partition} cut ${f.cut}`,
      );
    }, 5000);
    const faulting = injector.run();
    await new Promise((r) => setTimeout(r, o.seconds * 1000));
    injector.stop();
    await faulting;
    clearInterval(progress);

    o.log(`${t()}s heal: every node back, every link healed`);
    await injector.healAll();
    const healedLeader = await waitUntilHealthy(admin, launches, o.recoverMs);
    if (healedLeader === undefined)
      problems.push(`the cluster did not recover within ${o.recoverMs} ms of the heal`);
    if (!(await clients.stop(o.requestTimeoutMs + 2000))) {
      problems.push(
        `a client did not finish within ${o.requestTimeoutMs + 2000} ms after the heal`,
      );
    }
    const final = await finalPhase({
      launches,
      agents,
      recorder,
      prefix,
      keys: o.keys,
      acked: clients.acked,
      timeoutMs: o.requestTimeoutMs,
      retryMs: o.recoverMs,
    });
    problems.push(...final.problems);
    acked = clients.acked.size;
    missing = final.missing;
    o.log(
      `${t()}s heal done: fresh writes ${final.freshWrites}/${launches.length}, acknowledged writes ${acked}, missing ${missing}`,
    );
    return await finish();
  } finally {
    await pm.stopAll(5000);
    admin.close();
    network?.close?.();
    destroyAgents(agents);
  }

  async function finish(): Promise<TortureReport> {
    // The leader first: etcd hands leadership over on SIGTERM, which needs live followers.
    const leader = await leaderNode(admin, launches).catch(() => undefined);
    if (leader !== undefined) await pm.terminate(leader, 5000);
    await pm.stopAll(5000);
    for (const e of pm.unexpectedExits())
      problems.push(
        `node ${e.node} (pid ${e.pid}) exited by itself: code ${e.code} signal ${e.signal}`,
      );
    const historyPath = join(o.outDir, 'history.json');
    writeFileSync(historyPath, JSON.stringify(recorder.toJson()));
    const c = recorder.counts();
    let linearizability: TortureReport['linearizability'] = 'not-checked';
    let htmlPath: string | undefined;
    let checkMs = 0;
    if (c.total > 0) {
      o.log(`${t()}s checking ${c.total} operations for linearizability…`);
      const outcome = checkHistory(recorder.ops, o.outDir, o.checkTimeoutMs);
      linearizability = outcome.verdict;
      htmlPath = outcome.htmlPath;
      checkMs = outcome.checkMs;
      if (outcome.verdict === 'illegal')
        problems.push(
          `the history is not linearizable (key ${outcome.failingKey}); see ${outcome.htmlPath}`,
        );
      if (outcome.verdict === 'unknown')
        problems.push(
          `the linearizability check was undecided (${outcome.unknownReason ?? 'no reason'}; time limit ${o.checkTimeoutMs} ms)`,
        );
    }
    const ok = problems.length === 0;
    if (ok && !o.keep) {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(logDir, { recursive: true, force: true });
    }
    const report: TortureReport = {
      ok,
      problems,
      seed: o.seed,
      flavor: o.flavor.name,
      nodes: o.nodes,
      outDir: o.outDir,
      historyPath,
      ...(htmlPath ? { htmlPath } : {}),
      operations: {
        ...c,
        failedReads: clients.failedReads,
        refusedWrites: clients.definiteFailures,
      },
      faults: { ...injector.counts },
      faultEvents: injector.events,
      linearizability,
      ackedWrites: acked,
      missingAcked: missing,
      wallMs: Math.round(performance.now() - started),
      checkMs,
    };
    writeFileSync(
      join(o.outDir, 'summary.json'),
      JSON.stringify({ ...report, processEvents: pm.events }, null, 2),
    );
    return report;
  }
}
