/**
 * The state behind the simulated disk: files and directories that each keep
 * what a reader sees now (`current`), what would survive a crash (`durable`)
 * and the operations in between (`pending`, oldest first). A crash keeps a
 * prefix of the pending operations of each file and directory, the first
 * dropped write possibly torn at any byte (the "ordered, torn tail" model).
 */

/** A growable byte string; `view()` is valid until the next change. */
export class Bytes {
  private buf = new Uint8Array(0);
  length = 0;

  write(position: number, data: Uint8Array): void {
    const end = position + data.length;
    this.reserve(end);
    // Extending past the end fills the gap with zeros (the buffer is zeroed beyond `length`).
    if (position > this.length) this.buf.fill(0, this.length, position);
    this.buf.set(data, position);
    if (end > this.length) this.length = end;
  }

  truncate(length: number): void {
    if (length > this.length) {
      this.reserve(length);
      this.buf.fill(0, this.length, length);
    }
    this.length = length;
  }

  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  clone(): Bytes {
    const copy = new Bytes();
    copy.write(0, this.view());
    return copy;
  }

  private reserve(size: number): void {
    if (size <= this.buf.length) return;
    const next = new Uint8Array(Math.max(size, this.buf.length * 2, 64));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
}

export type FileOp =
  | { kind: 'write'; position: number; data: Uint8Array }
  | { kind: 'truncate'; length: number };

function applyFileOp(target: Bytes, op: FileOp): void {
  if (op.kind === 'write') target.write(op.position, op.data);
  else target.truncate(op.length);
}

/** What survives of a node's pending operations at a crash. */
export interface CrashKeep {
  /** Pending operations kept whole, oldest first (0 … pending count). */
  keep: number;
  /** Bytes kept of the next pending operation when it is a write (a torn write); default 0. */
  torn?: number;
}

export class SimFile {
  readonly kind = 'file';
  current = new Bytes();
  durable = new Bytes();
  pending: FileOp[] = [];

  write(position: number, data: Uint8Array): void {
    const copy = data.slice();
    this.current.write(position, copy);
    this.pending.push({ kind: 'write', position, data: copy });
  }

  truncate(length: number): void {
    this.current.truncate(length);
    this.pending.push({ kind: 'truncate', length });
  }

  /** fsync/fdatasync succeeded: everything written is durable. */
  sync(): void {
    for (const op of this.pending) applyFileOp(this.durable, op);
    this.pending = [];
  }

  /** fsync failed (Linux): the dirty pages are marked clean and never reach the disk. */
  dropPending(): void {
    this.pending = [];
  }

  crash({ keep, torn = 0 }: CrashKeep): void {
    for (let i = 0; i < keep && i < this.pending.length; i++)
      applyFileOp(this.durable, this.pending[i]!);
    const next = this.pending[keep];
    if (next?.kind === 'write' && torn > 0) {
      this.durable.write(next.position, next.data.subarray(0, Math.min(torn, next.data.length)));
    }
    this.current = this.durable.clone();
    this.pending = [];
  }

  clone(): SimFile {
    const copy = new SimFile();
    copy.current = this.current.clone();
    copy.durable = this.durable.clone();
    copy.pending = this.pending.slice();
    return copy;
  }
}

export type DirOp =
  | { kind: 'link'; name: string; node: SimNode }
  | { kind: 'unlink'; name: string }
  | { kind: 'rename'; from: string; to: string };

function applyDirOp(target: Map<string, SimNode>, op: DirOp): void {
  if (op.kind === 'link') target.set(op.name, op.node);
  else if (op.kind === 'unlink') target.delete(op.name);
  else {
    const node = target.get(op.from);
    target.delete(op.from);
    if (node !== undefined) target.set(op.to, node);
  }
}

export class SimDir {
  readonly kind = 'dir';
  current = new Map<string, SimNode>();
  durable = new Map<string, SimNode>();
  pending: DirOp[] = [];

  apply(op: DirOp): void {
    applyDirOp(this.current, op);
    this.pending.push(op);
  }

  sync(): void {
    for (const op of this.pending) applyDirOp(this.durable, op);
    this.pending = [];
  }

  crash({ keep }: CrashKeep): void {
    for (let i = 0; i < keep && i < this.pending.length; i++)
      applyDirOp(this.durable, this.pending[i]!);
    this.current = new Map(this.durable);
    this.pending = [];
  }
}

export type SimNode = SimFile | SimDir;

/** A deep copy of a tree; a node reachable twice (in current and durable maps) is copied once. */
export function cloneTree(root: SimDir): SimDir {
  const copies = new Map<SimNode, SimNode>();
  const copy = (node: SimNode): SimNode => {
    const known = copies.get(node);
    if (known !== undefined) return known;
    if (node.kind === 'file') {
      const c = node.clone();
      copies.set(node, c);
      return c;
    }
    const d = new SimDir();
    copies.set(node, d);
    for (const [name, child] of node.current) d.current.set(name, copy(child));
    for (const [name, child] of node.durable) d.durable.set(name, copy(child));
    d.pending = node.pending.map((op) =>
      op.kind === 'link' ? { ...op, node: copy(op.node) } : op,
    );
    return d;
  };
  return copy(root) as SimDir;
}
