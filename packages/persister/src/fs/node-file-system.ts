import { constants, writeSync, writevSync } from 'node:fs';
import {
  type FileHandle as NodeHandle,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  unlink,
} from 'node:fs/promises';
import type { FileHandle, FileSystem, LockOwner, OpenMode } from './file-system.js';
import { InlineWritePolicy } from './inline-write-policy.js';

// Numeric flags: never O_APPEND (Linux ignores pwrite's position under it) and never O_TRUNC.
const { O_RDONLY, O_RDWR, O_CREAT, O_EXCL, O_DSYNC } = constants;
const flags: Record<OpenMode, number> = {
  read: O_RDONLY,
  write: O_RDWR,
  create: O_RDWR | O_CREAT,
  'create-exclusive': O_RDWR | O_CREAT | O_EXCL,
};

/** A process is alive when signal 0 reaches it (EPERM: alive but not ours). */
function pidAlive(id: string): boolean {
  const pid = Number(id);
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The operating system's process: lock files hold the pid. */
export const processLockOwner: LockOwner = {
  id: String(process.pid),
  isAlive: pidAlive,
};

/** Writes all of `data` at `position` through `fh`. */
async function writeAll(fh: NodeHandle, data: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await fh.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}

/** The pieces of `chunks` after its first `written` bytes (what a short writev left). */
function unwritten(chunks: readonly Uint8Array[], written: number): Uint8Array[] {
  const rest: Uint8Array[] = [];
  let skip = written;
  for (const c of chunks) {
    if (skip >= c.length) {
      skip -= c.length;
      continue;
    }
    rest.push(skip > 0 ? c.subarray(skip) : c);
    skip = 0;
  }
  return rest;
}

/** Writes the chunks back to back at `position` through `fh`: one writev, the rest of a short one chunk by chunk. */
async function writevAll(
  fh: NodeHandle,
  chunks: readonly Uint8Array[],
  position: number,
): Promise<void> {
  let total = 0;
  for (const c of chunks) total += c.length;
  const { bytesWritten } = await fh.writev(chunks as Uint8Array[], position);
  if (bytesWritten === total) return;
  // A short writev (rare: signals, huge batches): write the rest chunk by chunk.
  let at = position + bytesWritten;
  for (const piece of unwritten(chunks, bytesWritten)) {
    await writeAll(fh, piece, at);
    at += piece.length;
  }
}

/** Writes all of `chunks` at `position` to descriptor `fd`, blocking (one pwritev unless it falls short). */
function writevAllSync(fd: number, chunks: readonly Uint8Array[], position: number): void {
  let total = 0;
  for (const c of chunks) total += c.length;
  const written = writevSync(fd, chunks as Uint8Array[], position);
  if (written === total) return;
  let at = position + written;
  for (let piece of unwritten(chunks, written)) {
    while (piece.length > 0) {
      const n = writeSync(fd, piece, 0, piece.length, at);
      piece = piece.subarray(n);
      at += n;
    }
  }
}

class NodeFileHandle implements FileHandle {
  /** A second descriptor of the same file opened with O_DSYNC (for `writevDurable`), opened on first use. */
  private dsync: Promise<NodeHandle> | undefined;

  constructor(
    private readonly fh: NodeHandle,
    private readonly path: string,
    /** Undefined: every durable write goes through the thread pool. */
    private readonly inlinePolicy: InlineWritePolicy | undefined,
  ) {}

  write(data: Uint8Array, position: number): Promise<void> {
    return writeAll(this.fh, data, position);
  }

  writev(chunks: readonly Uint8Array[], position: number): Promise<void> {
    return writevAll(this.fh, chunks, position);
  }

  /**
   * One pwritev(2) on an O_DSYNC descriptor: the write returns once its bytes are durable, so a
   * group commit costs one trip to the thread pool instead of two (writev, then fdatasync).
   */
  async writevDurable(chunks: readonly Uint8Array[], position: number): Promise<void> {
    this.dsync ??= open(this.path, O_RDWR | O_DSYNC);
    const handle = await this.dsync;
    const policy = this.inlinePolicy;
    if (policy === undefined) return writevAll(handle, chunks, position);
    const t0 = performance.now(); // determinism-ok: the real disk only, never in a simulation
    // Inline while the disk is fast (see InlineWritePolicy); always after at least one microtask,
    // so the caller's synchronous work (a leader's sends) is done before the loop blocks.
    if (policy.inline) writevAllSync(handle.fd, chunks, position);
    else await writevAll(handle, chunks, position);
    policy.record(performance.now() - t0); // determinism-ok: as above
  }

  async read(position: number, length: number): Promise<Uint8Array> {
    const out = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.fh.read(out, done, length - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return out.subarray(0, done);
  }

  async size(): Promise<number> {
    return (await this.fh.stat()).size;
  }

  truncate(length: number): Promise<void> {
    return this.fh.truncate(length);
  }

  datasync(): Promise<void> {
    return this.fh.datasync();
  }

  sync(): Promise<void> {
    return this.fh.sync();
  }

  async close(): Promise<void> {
    const dsync = this.dsync;
    this.dsync = undefined;
    try {
      await this.fh.close();
    } finally {
      if (dsync !== undefined) await (await dsync).close();
    }
  }
}

export interface NodeFileSystemOptions {
  /**
   * Let `writevDurable` run inline on the event loop while durable writes are fast (under
   * ~0.5 ms on average; see `InlineWritePolicy`). Default true; false sends every durable
   * write through libuv's thread pool.
   */
  inlineDurableWrites?: boolean;
}

/**
 * `FileSystem` on node:fs/promises. `datasync` is fdatasync(2), `syncDir`
 * opens the directory and fsyncs it (Linux and macOS; on Windows directories
 * cannot be synced and `syncDir` is a no-op).
 */
export class NodeFileSystem implements FileSystem {
  readonly lockOwner: LockOwner = processLockOwner;
  /**
   * Where `writevDurable` runs: inline on the event loop while the disk is fast, else the thread
   * pool; undefined when `inlineDurableWrites` is false (always the thread pool).
   */
  readonly inlineWrites: InlineWritePolicy | undefined;

  constructor(options: NodeFileSystemOptions = {}) {
    this.inlineWrites = options.inlineDurableWrites === false ? undefined : new InlineWritePolicy();
  }

  async open(path: string, mode: OpenMode): Promise<FileHandle> {
    return new NodeFileHandle(await open(path, flags[mode]), path, this.inlineWrites);
  }

  async readFile(path: string): Promise<Uint8Array> {
    return readFile(path);
  }

  async list(dir: string): Promise<string[]> {
    return (await readdir(dir)).sort();
  }

  async mkdir(path: string): Promise<void> {
    await mkdir(path, { recursive: true });
  }

  rename(from: string, to: string): Promise<void> {
    return rename(from, to);
  }

  remove(path: string): Promise<void> {
    return unlink(path);
  }

  async syncDir(dir: string): Promise<void> {
    if (process.platform === 'win32') return;
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  }
}
