import type { FileSystem } from '../fs/file-system.js';
import type { Repair } from './recover.js';

async function writeDurably(fs: FileSystem, path: string, bytes: Uint8Array): Promise<void> {
  const fh = await fs.open(path, 'create');
  try {
    await fh.truncate(0);
    await fh.write(bytes, 0);
    await fh.datasync();
  } finally {
    await fh.close();
  }
}

/**
 * Carries out recovery's repairs so that each step is durable before the next
 * destroys anything: cut bytes go to their `.broken` file (synced, directory
 * synced) before the segment is truncated or removed. Running it again after
 * a crash half-way gives the same result.
 */
export async function runRepairs(
  fs: FileSystem,
  dir: string,
  repairs: readonly Repair[],
): Promise<void> {
  let dirty = false;
  for (const r of repairs) {
    const file = `${dir}/${r.file}`;
    if (r.kind === 'cut') {
      await writeDurably(fs, `${dir}/${r.broken}`, r.bytes);
      await fs.syncDir(dir);
      const fh = await fs.open(file, 'write');
      try {
        await fh.truncate(r.offset);
        await fh.datasync();
      } finally {
        await fh.close();
      }
    } else if (r.kind === 'drop') {
      if (r.broken !== undefined) {
        await writeDurably(fs, `${dir}/${r.broken}`, r.bytes);
        await fs.syncDir(dir);
      }
      await fs.remove(file);
      dirty = true;
    } else {
      await fs.remove(file);
      dirty = true;
    }
  }
  if (dirty) await fs.syncDir(dir);
}
