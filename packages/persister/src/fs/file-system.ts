/**
 * The only way the write-ahead log touches a disk. Two implementations:
 * `NodeFileSystem` (node:fs/promises, real fsync) and the simulated disk in
 * `@raftkit/persister/testing`, which loses unsynced data at a crash. Paths
 * are absolute POSIX paths; sizes and offsets are bytes.
 *
 * Durability contract (what a real kernel promises and the simulated disk
 * enforces): bytes written to a file survive a crash only after `datasync()`
 * or `sync()` on that file returned; a created, renamed or removed name
 * survives a crash only after `syncDir()` on its directory returned. A failed
 * `datasync()` may have dropped the unsynced bytes for good (Linux marks the
 * pages clean), so its caller must never retry and trust a later success.
 * Errors are Node-style errors with a `code` (`EIO`, `ENOSPC`, `ENOENT`, `EEXIST`…).
 */
export interface FileSystem {
  /**
   * Opens a file. `read`: must exist, read-only. `write`: must exist, read and write.
   * `create`: read and write, created empty when missing. `create-exclusive`:
   * created, fails with `EEXIST` when it exists (the lock file).
   */
  open(path: string, mode: OpenMode): Promise<FileHandle>;
  /** The whole content of a file. */
  readFile(path: string): Promise<Uint8Array>;
  /** Names (not paths) in a directory, sorted. */
  list(dir: string): Promise<string[]>;
  /** Creates a directory and missing parents; no error when it exists. Not durable until the parent is synced. */
  mkdir(path: string): Promise<void>;
  /** Atomically renames within one directory, replacing `to`. Durable after `syncDir`. */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file name. Durable after `syncDir`. */
  remove(path: string): Promise<void>;
  /** Makes every name change in `dir` durable (fsync on the directory). */
  syncDir(dir: string): Promise<void>;
  /** Identity written into lock files, and how to tell whether its holder still runs. */
  readonly lockOwner: LockOwner;
}

export type OpenMode = 'read' | 'write' | 'create' | 'create-exclusive';

/** An open file. Writes never extend past what they write; there is no implicit append position. */
export interface FileHandle {
  /** Writes all of `data` at `position` (bytes from the start). */
  write(data: Uint8Array, position: number): Promise<void>;
  /** Writes the chunks back to back starting at `position`, as one system call where possible. */
  writev(chunks: readonly Uint8Array[], position: number): Promise<void>;
  /** Reads up to `length` bytes at `position`; fewer only at the end of the file. */
  read(position: number, length: number): Promise<Uint8Array>;
  /** Current size in bytes. */
  size(): Promise<number>;
  /** Cuts or extends (with zeros) the file to `length` bytes. Durable after a sync. */
  truncate(length: number): Promise<void>;
  /** Makes written data (and the size needed to read it) durable: fdatasync. */
  datasync(): Promise<void>;
  /**
   * Optional: writes like `writev` and resolves only once those bytes (and the size needed to
   * read them) are durable, as `writev` then `datasync` would, in one system call (O_DSYNC).
   * Unlike `datasync` it makes nothing else durable: bytes written before by `write`/`writev`
   * stay as durable as they were. Callers fall back to `writev` + `datasync` when it is absent.
   */
  writevDurable?(chunks: readonly Uint8Array[], position: number): Promise<void>;
  /** Makes data and all metadata durable: fsync. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Who holds a lock: the real file system uses the OS process id, the
 * simulated disk its boot count (a crash ends every "process" on it).
 */
export interface LockOwner {
  /** This process's identity, as written into a lock file. */
  readonly id: string;
  /** Whether the holder named `id` (read from a lock file) still runs. */
  isAlive(id: string): boolean;
}
