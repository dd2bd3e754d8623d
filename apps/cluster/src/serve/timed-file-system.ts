import type { FileHandle, FileSystem, OpenMode } from '@raftkit/persister';

/**
 * A FileSystem that reports how long each `datasync`, `sync` and `writevDurable` (the WAL's
 * group commit: its write and sync in one O_DSYNC call) takes, in seconds, and otherwise passes
 * every call through unchanged.
 */
export function timedFileSystem(inner: FileSystem, observe: (seconds: number) => void): FileSystem {
  const timed = async (op: () => Promise<void>): Promise<void> => {
    const t0 = performance.now();
    await op();
    observe((performance.now() - t0) / 1000);
  };
  const wrap = (h: FileHandle): FileHandle => ({
    ...(h.writevDurable !== undefined
      ? {
          writevDurable: (chunks: readonly Uint8Array[], position: number) =>
            timed(() => h.writevDurable!(chunks, position)),
        }
      : {}),
    write: (data, position) => h.write(data, position),
    writev: (chunks, position) => h.writev(chunks, position),
    read: (position, length) => h.read(position, length),
    size: () => h.size(),
    truncate: (length) => h.truncate(length),
    datasync: () => timed(() => h.datasync()),
    sync: () => timed(() => h.sync()),
    close: () => h.close(),
  });
  return {
    lockOwner: inner.lockOwner,
    open: async (path: string, mode: OpenMode) => wrap(await inner.open(path, mode)),
    readFile: (path) => inner.readFile(path),
    list: (dir) => inner.list(dir),
    mkdir: (path) => inner.mkdir(path),
    rename: (from, to) => inner.rename(from, to),
    remove: (path) => inner.remove(path),
    syncDir: (dir) => inner.syncDir(dir),
  };
}
