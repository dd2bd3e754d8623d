import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '@raftkit/core';
import type { NodeLaunch } from './cluster-flavor.js';

/** A node's process state. Transitions: down → running ⇄ paused; running|paused → down. */
export type NodeState =
  | { kind: 'down' }
  | { kind: 'running'; child: ChildProcess; pid: number }
  | { kind: 'paused'; child: ChildProcess; pid: number };

/** Something that happened to a node's process; `t` is ms since the manager was created. */
export interface ProcessEvent {
  t: number;
  node: string;
  event: 'start' | 'kill' | 'pause' | 'resume' | 'terminate' | 'exit';
  pid: number;
  /** For `exit`: whether the manager caused it (kill or terminate) or the process died by itself. */
  expected?: boolean;
  code?: number | null;
  signal?: string | null;
}

interface Managed {
  launch: NodeLaunch;
  state: NodeState;
  /** Set while the manager is stopping this process on purpose. */
  stopping: boolean;
  exited: Promise<void> | undefined;
}

/**
 * Starts node processes from their launch specs and injects process faults: SIGKILL, restart on
 * the same data dir, SIGSTOP/SIGCONT. Each node's stdout and stderr go, appended across
 * restarts, to `<logDir>/<id>.log`. Processes are signalled only by the pids this manager
 * started; `stopAll` (and process exit) ends every one of them.
 */
export class ProcessManager {
  private readonly nodes = new Map<string, Managed>();
  private readonly origin = performance.now();
  readonly events: ProcessEvent[] = [];
  private readonly onExit = () => this.killAllSync();

  constructor(
    launches: readonly NodeLaunch[],
    readonly logDir: string,
  ) {
    mkdirSync(logDir, { recursive: true });
    for (const launch of launches) {
      if (this.nodes.has(launch.id)) {
        throw new InvalidArgumentError({
          argument: 'launches',
          message: `duplicate node id ${launch.id}`,
        });
      }
      this.nodes.set(launch.id, {
        launch,
        state: { kind: 'down' },
        stopping: false,
        exited: undefined,
      });
    }
    process.on('exit', this.onExit);
  }

  get ids(): string[] {
    return [...this.nodes.keys()];
  }

  launch(id: string): NodeLaunch {
    return this.node(id).launch;
  }

  state(id: string): NodeState['kind'] {
    return this.node(id).state.kind;
  }

  logPath(id: string): string {
    return join(this.logDir, `${id}.log`);
  }

  /** Pids of the live (running or paused) processes. */
  pids(): number[] {
    const out: number[] = [];
    for (const n of this.nodes.values()) if (n.state.kind !== 'down') out.push(n.state.pid);
    return out;
  }

  pid(id: string): number | undefined {
    const s = this.node(id).state;
    return s.kind === 'down' ? undefined : s.pid;
  }

  /** Nodes that exited without the manager stopping them (a crash of the software under test). */
  unexpectedExits(): ProcessEvent[] {
    return this.events.filter((e) => e.event === 'exit' && e.expected === false);
  }

  /** Starts (or restarts, on its data dir) a node that is down. */
  start(id: string): number {
    const n = this.node(id);
    if (n.state.kind !== 'down') return n.state.pid;
    const path = this.logPath(id);
    appendFileSync(
      path,
      `--- raftkit process manager: start ${id} at ${new Date().toISOString()}\n`,
    );
    const fd = openSync(path, 'a');
    let child: ChildProcess;
    try {
      child = spawn(n.launch.command, [...n.launch.args], {
        stdio: ['ignore', fd, fd],
        env: { ...process.env, ...n.launch.env },
      });
    } finally {
      closeSync(fd);
    }
    const pid = child.pid;
    if (pid === undefined) {
      throw new InvalidArgumentError({
        argument: 'command',
        message: `could not start ${id}: ${n.launch.command} (is it installed and on PATH?)`,
      });
    }
    n.state = { kind: 'running', child, pid };
    n.stopping = false;
    n.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        this.record(id, 'exit', pid, { expected: n.stopping, code, signal });
        if (n.state.kind !== 'down' && n.state.pid === pid) n.state = { kind: 'down' };
        resolve();
      });
    });
    child.once('error', () => {});
    this.record(id, 'start', pid);
    return pid;
  }

  /** `kill -9` and wait until the process is gone. */
  async kill(id: string): Promise<void> {
    const n = this.node(id);
    if (n.state.kind === 'down') return;
    n.stopping = true;
    this.record(id, 'kill', n.state.pid);
    process.kill(n.state.pid, 'SIGKILL');
    await n.exited;
  }

  /** SIGSTOP: the process keeps its sockets but answers nothing until resumed. */
  pause(id: string): void {
    const n = this.node(id);
    if (n.state.kind !== 'running') return;
    process.kill(n.state.pid, 'SIGSTOP');
    n.state = { kind: 'paused', child: n.state.child, pid: n.state.pid };
    this.record(id, 'pause', n.state.pid);
  }

  /** SIGCONT a paused node. */
  resume(id: string): void {
    const n = this.node(id);
    if (n.state.kind !== 'paused') return;
    process.kill(n.state.pid, 'SIGCONT');
    n.state = { kind: 'running', child: n.state.child, pid: n.state.pid };
    this.record(id, 'resume', n.state.pid);
  }

  /**
   * Graceful stop: SIGCONT if paused, SIGTERM, then SIGKILL after `graceMs`. Resolves when the
   * process has exited; returns whether it exited within the grace period.
   */
  async terminate(id: string, graceMs = 5000): Promise<boolean> {
    const n = this.node(id);
    if (n.state.kind === 'down') return true;
    const pid = n.state.pid;
    n.stopping = true;
    if (n.state.kind === 'paused') this.resume(id);
    this.record(id, 'terminate', pid);
    process.kill(pid, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const graceful = await Promise.race([
      n.exited!.then(() => true),
      new Promise<boolean>((r) => {
        timer = setTimeout(() => r(false), graceMs);
      }),
    ]);
    clearTimeout(timer);
    if (!graceful) {
      const now = n.state as NodeState;
      if (now.kind !== 'down' && now.pid === pid) process.kill(pid, 'SIGKILL');
      await n.exited;
    }
    return graceful;
  }

  /** Stops every node (see terminate) and forgets the exit hook. */
  async stopAll(graceMs = 5000): Promise<void> {
    await Promise.all(this.ids.map((id) => this.terminate(id, graceMs)));
    process.off('exit', this.onExit);
  }

  private killAllSync(): void {
    for (const n of this.nodes.values()) {
      if (n.state.kind === 'down') continue;
      try {
        process.kill(n.state.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  private node(id: string): Managed {
    const n = this.nodes.get(id);
    if (n === undefined) {
      throw new InvalidArgumentError({
        argument: 'id',
        message: `unknown node "${id}"; nodes are ${this.ids.join(', ')}`,
      });
    }
    return n;
  }

  private record(
    node: string,
    event: ProcessEvent['event'],
    pid: number,
    extra: Partial<ProcessEvent> = {},
  ): void {
    this.events.push({
      t: Math.round(performance.now() - this.origin),
      node,
      event,
      pid,
      ...extra,
    });
  }
}
