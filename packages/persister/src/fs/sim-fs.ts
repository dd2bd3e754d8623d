import type { FileHandle, FileSystem, LockOwner, OpenMode } from './file-system.js';
import type { SimDisk, SimMutation } from './sim-disk.js';
import { simError } from './sim-errors.js';
import { SimDir, SimFile } from './sim-nodes.js';

const never = <T>() => new Promise<T>(() => {});

/**
 * One boot's view of a `SimDisk`. Every call waits its virtual latency, then
 * acts; a call of a boot that has crashed never settles.
 */
export class SimFs implements FileSystem {
  readonly lockOwner: LockOwner;

  constructor(
    private readonly disk: SimDisk,
    private readonly gen: number,
  ) {
    this.lockOwner = {
      id: `sim-boot-${gen}`,
      isAlive: (id) => id === `sim-boot-${gen}` && disk.isCurrent(gen),
    };
  }

  private async step<T>(kind: 'op' | 'sync', bytes: number, act: () => T | Promise<T>): Promise<T> {
    if (!(await this.disk.delay(this.gen, kind, bytes))) return never();
    return act();
  }

  /** Runs a mutation; never settles when the mutation hook crashed the disk. */
  private done<T>(kind: SimMutation, path: string, value: T): T | Promise<T> {
    return this.disk.mutated(this.gen, kind, path) ? value : never();
  }

  async open(path: string, mode: OpenMode): Promise<FileHandle> {
    return this.step('op', 0, () => {
      const { dir, name } = this.disk.parentOf(path, 'open');
      const existing = dir.current.get(name);
      if (existing !== undefined) {
        if (mode === 'create-exclusive') throw simError('EEXIST', 'open', path);
        if (existing.kind === 'dir') throw simError('EISDIR', 'open', path);
        return new SimHandle(this.disk, this.gen, existing, path, mode !== 'read');
      }
      if (mode === 'read' || mode === 'write') throw simError('ENOENT', 'open', path);
      const file = new SimFile();
      dir.apply({ kind: 'link', name, node: file });
      return this.done('create', path, new SimHandle(this.disk, this.gen, file, path, true));
    });
  }

  async readFile(path: string): Promise<Uint8Array> {
    const file = await this.step('op', 0, () => this.disk.fileAt(path, 'open'));
    const data = file.current.view().slice();
    if (!(await this.disk.delay(this.gen, 'op', data.length))) return never();
    return data;
  }

  async list(dir: string): Promise<string[]> {
    return this.step('op', 0, () => {
      const node = this.disk.lookup(dir);
      if (node === undefined) throw simError('ENOENT', 'scandir', dir);
      if (node.kind !== 'dir') throw simError('ENOTDIR', 'scandir', dir);
      return [...node.current.keys()].sort();
    });
  }

  async mkdir(path: string): Promise<void> {
    return this.step('op', 0, () => {
      let dir = this.disk.rootDir;
      let created = false;
      for (const part of path.split('/').filter((p) => p !== '')) {
        const next = dir.current.get(part);
        if (next?.kind === 'file') throw simError('ENOTDIR', 'mkdir', path);
        if (next === undefined) {
          const made = new SimDir();
          dir.apply({ kind: 'link', name: part, node: made });
          dir = made;
          created = true;
        } else dir = next;
      }
      return created ? this.done('mkdir', path, undefined) : undefined;
    });
  }

  async rename(from: string, to: string): Promise<void> {
    return this.step('op', 0, () => {
      const a = this.disk.parentOf(from, 'rename');
      const b = this.disk.parentOf(to, 'rename');
      if (a.dir !== b.dir) throw simError('EXDEV', 'rename', from);
      if (!a.dir.current.has(a.name)) throw simError('ENOENT', 'rename', from);
      a.dir.apply({ kind: 'rename', from: a.name, to: b.name });
      return this.done('rename', to, undefined);
    });
  }

  async remove(path: string): Promise<void> {
    return this.step('op', 0, () => {
      const { dir, name } = this.disk.parentOf(path, 'unlink');
      const node = dir.current.get(name);
      if (node === undefined) throw simError('ENOENT', 'unlink', path);
      if (node.kind === 'dir') throw simError('EISDIR', 'unlink', path);
      dir.apply({ kind: 'unlink', name });
      return this.done('remove', path, undefined);
    });
  }

  async syncDir(path: string): Promise<void> {
    return this.step('sync', 0, () => {
      const node = this.disk.lookup(path);
      if (node === undefined) throw simError('ENOENT', 'fsync', path);
      if (node.kind !== 'dir') throw simError('ENOTDIR', 'fsync', path);
      const fault = this.disk.takeFault('syncDir', path);
      if (fault !== undefined) throw simError(fault, 'fsync', path);
      node.sync();
      return this.done('syncDir', path, undefined);
    });
  }
}

class SimHandle implements FileHandle {
  private closed = false;

  constructor(
    private readonly disk: SimDisk,
    private readonly gen: number,
    private readonly file: SimFile,
    private readonly path: string,
    private readonly writable: boolean,
  ) {}

  private async step<T>(
    kind: 'op' | 'sync',
    bytes: number,
    syscall: string,
    act: () => T | Promise<T>,
  ): Promise<T> {
    if (!this.disk.isCurrent(this.gen)) return never();
    if (!(await this.disk.delay(this.gen, kind, bytes))) return never();
    if (this.closed) throw simError('EBADF', syscall, this.path);
    return act();
  }

  private done<T>(kind: SimMutation, value: T): T | Promise<T> {
    return this.disk.mutated(this.gen, kind, this.path) ? value : never();
  }

  private put(data: Uint8Array, position: number): void {
    if (!this.writable) throw simError('EBADF', 'write', this.path);
    const fault = this.disk.takeFault('write', this.path);
    if (fault !== undefined) throw simError(fault, 'write', this.path);
    const growth = Math.max(0, position + data.length - this.file.current.length);
    if (!this.disk.reserve(growth)) throw simError('ENOSPC', 'write', this.path);
    this.file.write(position, data);
  }

  async write(data: Uint8Array, position: number): Promise<void> {
    return this.step('op', data.length, 'write', () => {
      this.put(data, position);
      return this.done('write', undefined);
    });
  }

  /** One write of the concatenated chunks: a crash tears it as a single write. */
  async writev(chunks: readonly Uint8Array[], position: number): Promise<void> {
    let total = 0;
    for (const c of chunks) total += c.length;
    return this.step('op', total, 'writev', () => {
      const joined = new Uint8Array(total);
      let at = 0;
      for (const c of chunks) {
        joined.set(c, at);
        at += c.length;
      }
      this.put(joined, position);
      return this.done('write', undefined);
    });
  }

  async read(position: number, length: number): Promise<Uint8Array> {
    return this.step('op', length, 'read', () =>
      this.file.current.view().slice(position, position + length),
    );
  }

  async size(): Promise<number> {
    return this.step('op', 0, 'fstat', () => this.file.current.length);
  }

  async truncate(length: number): Promise<void> {
    return this.step('op', 0, 'ftruncate', () => {
      if (!this.writable) throw simError('EINVAL', 'ftruncate', this.path);
      if (!this.disk.reserve(length - this.file.current.length))
        throw simError('ENOSPC', 'ftruncate', this.path);
      this.file.truncate(length);
      return this.done('truncate', undefined);
    });
  }

  private flush(kind: 'datasync' | 'sync'): Promise<void> {
    return this.step('sync', 0, kind === 'datasync' ? 'fdatasync' : 'fsync', () => {
      const fault = this.disk.takeFault(kind, this.path);
      if (fault !== undefined) {
        // Linux after a failed writeback: the dirty pages are marked clean, the data never lands.
        this.file.dropPending();
        throw simError(fault, kind === 'datasync' ? 'fdatasync' : 'fsync', this.path);
      }
      this.file.sync();
      return this.done(kind, undefined);
    });
  }

  datasync(): Promise<void> {
    return this.flush('datasync');
  }

  sync(): Promise<void> {
    return this.flush('sync');
  }

  async close(): Promise<void> {
    return this.step('op', 0, 'close', () => {
      this.closed = true;
    });
  }
}
