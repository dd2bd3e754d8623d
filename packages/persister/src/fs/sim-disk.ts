import { type Clock, InvalidArgumentError, type Rng } from '@raftkit/core';
import type { FileSystem } from './file-system.js';
import { simError } from './sim-errors.js';
import { SimFs } from './sim-fs.js';
import { type CrashKeep, cloneTree, SimDir, type SimFile, type SimNode } from './sim-nodes.js';

/** Operations that change the disk; each one is a crash point. */
export type SimMutation =
  | 'create'
  | 'write'
  | 'truncate'
  | 'datasync'
  | 'sync'
  | 'syncDir'
  | 'rename'
  | 'remove'
  | 'mkdir';

/** A fault armed with `injectFault`: the next matching operations fail with `code`. */
export interface SimFault {
  op: 'write' | 'datasync' | 'sync' | 'syncDir';
  code: 'EIO' | 'ENOSPC';
  /** Only operations on this path (default: any). */
  path?: string;
  /** How many operations fail (default 1). */
  times?: number;
}

/** A file or directory with operations a crash may drop, as a crash policy sees it. */
export interface PendingTarget {
  kind: 'file' | 'dir';
  path: string;
  /** Pending operations, oldest first; `bytes` is a write's length (0 otherwise). */
  ops: { kind: string; bytes: number }[];
}

/**
 * What a crash keeps of each target's pending operations. `random` draws a
 * prefix and a torn length from the disk's rng; `lose-unsynced` keeps
 * nothing that was not synced; `keep-unsynced` keeps everything (a clean
 * power-off after the page cache drained).
 */
export type CrashPolicy =
  | 'random'
  | 'lose-unsynced'
  | 'keep-unsynced'
  | ((target: PendingTarget) => CrashKeep);

export interface SimDiskOptions {
  clock: Clock;
  /** Draws latencies and random crash outcomes; give the disk its own stream (`rng.fork('disk')`). */
  rng: Rng;
  /** Virtual latencies in ms (defaults: op 0.005, sync 0.05–0.4, 500 000 bytes per ms). */
  latency?: { opMs?: number; syncMinMs?: number; syncMaxMs?: number; bytesPerMs?: number };
  /** Writes that would grow the files past this many bytes fail with ENOSPC (default: unlimited). */
  capacityBytes?: number;
}

function split(path: string): string[] {
  if (!path.startsWith('/')) {
    throw new InvalidArgumentError({
      argument: 'path',
      message: `simulated disk paths are absolute, got "${path}"`,
    });
  }
  return path.split('/').filter((p) => p !== '' && p !== '.');
}

/**
 * A disk in virtual time that behaves like a real kernel and drive after a
 * power loss: data written but not synced is lost, the last unsynced write
 * of a file may be torn at any byte, names created, renamed or removed come
 * back as they were unless the directory was synced, and on demand writes
 * and syncs fail (EIO, ENOSPC) or a bit of synced data flips. A failed sync
 * drops the unsynced data while reads still see it (Linux), so a retried
 * sync that succeeds proves nothing. Every operation takes virtual time.
 *
 * `fs` is the file system of the current boot. `crash()` ends that boot: an
 * operation of an earlier boot, in flight or new, never settles (a dead
 * process observes nothing). Reads of the current state without latency
 * (`readFileSync`, `filesSync`) serve tests and synchronous recovery.
 */
export class SimDisk {
  /** Called after every mutation took effect (before its caller sees it); may call `crash()`. */
  onMutation: ((kind: SimMutation, path: string, count: number) => void) | undefined;
  private root = new SimDir();
  private generation = 0;
  private mutations = 0;
  private faults: (SimFault & { times: number })[] = [];
  private view: SimFs;
  private used = 0;
  readonly clock: Clock;
  readonly rng: Rng;
  private readonly latency: Required<NonNullable<SimDiskOptions['latency']>>;
  private readonly capacity: number;

  constructor(options: SimDiskOptions) {
    this.clock = options.clock;
    this.rng = options.rng;
    this.latency = {
      opMs: 0.005,
      syncMinMs: 0.05,
      syncMaxMs: 0.4,
      bytesPerMs: 500_000,
      ...options.latency,
    };
    this.capacity = options.capacityBytes ?? Number.POSITIVE_INFINITY;
    this.view = new SimFs(this, 0);
  }

  /** The file system as the current boot sees it. */
  get fs(): FileSystem {
    return this.view;
  }

  /** Number of crashes so far. */
  get boots(): number {
    return this.generation;
  }

  /** Mutations performed so far (over all boots). */
  get mutationCount(): number {
    return this.mutations;
  }

  /** Power loss: applies `policy` to every pending change and starts a new boot. */
  crash(policy: CrashPolicy = 'random'): void {
    const decide = this.policy(policy);
    const visit = (dir: SimDir, path: string, seen: Set<SimNode>) => {
      if (dir.pending.length > 0) {
        dir.crash(
          decide({
            kind: 'dir',
            path,
            ops: dir.pending.map((op) => ({ kind: op.kind, bytes: 0 })),
          }),
        );
      }
      for (const [name, node] of dir.current) {
        if (seen.has(node)) continue;
        seen.add(node);
        const child = path === '/' ? `/${name}` : `${path}/${name}`;
        if (node.kind === 'dir') visit(node, child, seen);
        else if (node.pending.length > 0)
          node.crash(decide({ kind: 'file', path: child, ops: fileOps(node) }));
        else node.crash({ keep: 0 }); // reads may still see data a failed sync dropped
      }
    };
    visit(this.root, '/', new Set());
    this.generation += 1;
    this.view = new SimFs(this, this.generation);
    this.used = 0;
    this.walkFiles(this.root, '/', (_, f) => {
      this.used += f.current.length;
    });
  }

  /** Files and directories holding changes a crash could drop (nothing when all is synced). */
  pendingTargets(): PendingTarget[] {
    const out: PendingTarget[] = [];
    const visit = (dir: SimDir, path: string) => {
      if (dir.pending.length > 0) {
        out.push({
          kind: 'dir',
          path,
          ops: dir.pending.map((op) => ({ kind: op.kind, bytes: 0 })),
        });
      }
      for (const [name, node] of dir.current) {
        const child = path === '/' ? `/${name}` : `${path}/${name}`;
        if (node.kind === 'dir') visit(node, child);
        else if (node.pending.length > 0)
          out.push({ kind: 'file', path: child, ops: fileOps(node) });
      }
    };
    visit(this.root, '/');
    return out;
  }

  /** An independent copy of this disk (current, durable and pending state), for exploring crashes. */
  clone(options: Partial<SimDiskOptions> = {}): SimDisk {
    const copy = new SimDisk({
      clock: options.clock ?? this.clock,
      rng: options.rng ?? this.rng,
      latency: { ...this.latency, ...options.latency },
      capacityBytes: options.capacityBytes ?? this.capacity,
    });
    copy.root = cloneTree(this.root);
    copy.used = this.used;
    return copy;
  }

  /** Arms a fault: the next `times` matching operations fail with `code`. */
  injectFault(fault: SimFault): void {
    this.faults.push({ times: 1, ...fault });
  }

  /**
   * Flips one bit of synced data (bit rot, a misdirected write): `offset` must
   * lie within the durable content of `path`. `bit` 0–7, default drawn from the rng.
   */
  flipBit(path: string, offset: number, bit = this.rng.int(0, 7)): void {
    const file = this.fileAt(path, 'flipBit');
    if (!Number.isInteger(offset) || offset < 0 || offset >= file.durable.length) {
      throw new InvalidArgumentError({
        argument: 'offset',
        message: `offset ${offset} is outside the ${file.durable.length} synced bytes of ${path}`,
      });
    }
    const mask = 1 << bit;
    file.durable.view()[offset]! ^= mask;
    if (offset < file.current.length) file.current.view()[offset]! ^= mask;
  }

  /** The current content of a file (no latency). */
  readFileSync(path: string): Uint8Array {
    return this.fileAt(path, 'open').current.view().slice();
  }

  /** Every regular file directly in `dir` by name, with its current content (no latency). */
  filesSync(dir: string): Map<string, Uint8Array> {
    const node = this.lookup(dir);
    if (node === undefined) throw simError('ENOENT', 'scandir', dir);
    if (node.kind !== 'dir') throw simError('ENOTDIR', 'scandir', dir);
    const out = new Map<string, Uint8Array>();
    for (const name of [...node.current.keys()].sort()) {
      const child = node.current.get(name)!;
      if (child.kind === 'file') out.set(name, child.current.view().slice());
    }
    return out;
  }

  // ---- used by SimFs and SimHandle -------------------------------------

  /** Waits the operation's latency; resolves false when the boot ended meanwhile. */
  async delay(gen: number, kind: 'op' | 'sync', bytes = 0): Promise<boolean> {
    const { opMs, syncMinMs, syncMaxMs, bytesPerMs } = this.latency;
    const ms =
      kind === 'sync'
        ? syncMinMs + this.rng.float() * (syncMaxMs - syncMinMs)
        : opMs + bytes / bytesPerMs;
    await this.clock.sleep(ms);
    return gen === this.generation;
  }

  isCurrent(gen: number): boolean {
    return gen === this.generation;
  }

  /** Records a mutation; returns false when the hook crashed the disk (the caller must never settle). */
  mutated(gen: number, kind: SimMutation, path: string): boolean {
    this.mutations += 1;
    this.onMutation?.(kind, path, this.mutations);
    return gen === this.generation;
  }

  takeFault(op: SimFault['op'], path: string): SimFault['code'] | undefined {
    const i = this.faults.findIndex(
      (f) => f.op === op && (f.path === undefined || f.path === path),
    );
    if (i < 0) return undefined;
    const fault = this.faults[i]!;
    fault.times -= 1;
    if (fault.times <= 0) this.faults.splice(i, 1);
    return fault.code;
  }

  /** Accounts a file growing by `delta` bytes; false when the disk is full. */
  reserve(delta: number): boolean {
    if (delta > 0 && this.used + delta > this.capacity) return false;
    this.used += delta;
    return true;
  }

  lookup(path: string): SimNode | undefined {
    let node: SimNode = this.root;
    for (const part of split(path)) {
      if (node.kind !== 'dir') return undefined;
      const next: SimNode | undefined = node.current.get(part);
      if (next === undefined) return undefined;
      node = next;
    }
    return node;
  }

  /** The directory holding `path` and the last name, or an ENOENT/ENOTDIR error. */
  parentOf(path: string, syscall: string): { dir: SimDir; name: string } {
    const parts = split(path);
    const name = parts.pop();
    if (name === undefined) throw simError('EISDIR', syscall, path);
    const dir = this.lookup(`/${parts.join('/')}`);
    if (dir === undefined) throw simError('ENOENT', syscall, path);
    if (dir.kind !== 'dir') throw simError('ENOTDIR', syscall, path);
    return { dir, name };
  }

  fileAt(path: string, syscall: string): SimFile {
    const node = this.lookup(path);
    if (node === undefined) throw simError('ENOENT', syscall, path);
    if (node.kind !== 'file') throw simError('EISDIR', syscall, path);
    return node;
  }

  get rootDir(): SimDir {
    return this.root;
  }

  private walkFiles(dir: SimDir, path: string, fn: (path: string, f: SimFile) => void): void {
    for (const [name, node] of dir.current) {
      const child = path === '/' ? `/${name}` : `${path}/${name}`;
      if (node.kind === 'dir') this.walkFiles(node, child, fn);
      else fn(child, node);
    }
  }

  private policy(policy: CrashPolicy): (target: PendingTarget) => CrashKeep {
    if (typeof policy === 'function') return policy;
    if (policy === 'lose-unsynced') return () => ({ keep: 0 });
    if (policy === 'keep-unsynced') return (t) => ({ keep: t.ops.length });
    return (t) => {
      const keep = this.rng.int(0, t.ops.length);
      const next = t.ops[keep];
      return { keep, torn: next === undefined ? 0 : this.rng.int(0, next.bytes) };
    };
  }
}

function fileOps(file: SimFile): { kind: string; bytes: number }[] {
  return file.pending.map((op) => ({
    kind: op.kind,
    bytes: op.kind === 'write' ? op.data.length : 0,
  }));
}
