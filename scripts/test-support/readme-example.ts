import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { vi } from 'vitest';

/**
 * Runs the first ```ts block of a package's README.md as a module and returns
 * the arguments of every console.log it made. A README example that stops
 * compiling or running fails its package's tests.
 */
export async function runReadmeExample(packageDir: string): Promise<unknown[][]> {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (code === undefined) throw new Error(`${packageDir}/README.md has no \`\`\`ts example`);
  const file = join(packageDir, 'test', '.readme-example.generated.ts');
  writeFileSync(file, code);
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    await import(file);
    return log.mock.calls;
  } finally {
    log.mockRestore();
    rmSync(file, { force: true });
  }
}
