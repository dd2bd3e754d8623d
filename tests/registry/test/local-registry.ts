import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runServer } from 'verdaccio';

/** A Verdaccio registry on 127.0.0.1 serving only `@raftkit/*`, stored under `dir`. */
export interface LocalRegistry {
  /** e.g. http://127.0.0.1:4873/ (trailing slash, as npm writes it). */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts Verdaccio in this process on an ephemeral loopback port. It has no
 * uplink: it holds what is published to it and nothing else, so a client sends
 * only `@raftkit` requests here (a scoped registry) and everything else to the
 * usual registry.
 */
export async function startLocalRegistry(dir: string): Promise<LocalRegistry> {
  const storage = join(dir, 'storage');
  mkdirSync(storage, { recursive: true });
  writeFileSync(join(dir, 'htpasswd'), '');
  const config = {
    self_path: dir,
    storage,
    auth: { htpasswd: { file: join(dir, 'htpasswd'), max_users: -1 } },
    uplinks: {},
    packages: {
      '@raftkit/*': { access: '$all', publish: '$all', unpublish: '$all' },
      '**': { access: '$all', publish: '$authenticated' },
    },
    log: { type: 'stdout', format: 'pretty', level: 'fatal' },
    security: { api: { legacy: true } },
    web: { enable: false },
    max_body_size: '100mb',
  };
  const app = (await runServer(config as never)) as unknown as Server;
  await new Promise<void>((resolve, reject) => {
    app.once('error', reject);
    app.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = app.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        app.close(() => resolve());
        app.closeAllConnections?.();
      }),
  };
}
