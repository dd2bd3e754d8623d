import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The core reads bottom-up: every file imports only files of its own layer or
 * below (and madge, in `lint`, checks there is no cycle at all).
 */
const layers: Record<string, number> = {
  // 0 leaves: data and pure arithmetic
  log: 0,
  quorum: 0,
  progress: 0,
  persistence: 0,
  role: 0,
  noop: 0,
  reads: 0,
  state: 0,
  input: 0,
  refusal: 0,
  'test-bugs': 0,
  // 1 role transitions (become*, accept leader, timers) and the commit rule
  'election-timer': 1,
  become: 1,
  commit: 1,
  compact: 1,
  // 2 leader-side sending
  send: 2,
  transfer: 2,
  broadcast: 2,
  'read-request': 2,
  // 3 the receivers of each RPC and of each reply
  'receive-vote': 3,
  'receive-append': 3,
  'receive-snapshot': 3,
  'receive-timeout-now': 3,
  receive: 3,
  'append-reply': 3,
  // 4 per-role step functions
  'step-follower': 4,
  'step-candidate': 4,
  'step-leader': 4,
  // 5 the façade
  'raft-core': 5,
};

const dir = join(import.meta.dirname, '..', 'src', 'core');

describe('core layering', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

  it('every core file has a layer', () => {
    expect(files.map((f) => f.replace(/\.ts$/, '')).filter((f) => !(f in layers))).toEqual([]);
  });

  it.each(files)('%s imports only its own layer or below', (file) => {
    const name = file.replace(/\.ts$/, '');
    const source = readFileSync(join(dir, file), 'utf8');
    const imports = [...source.matchAll(/from '\.\/([\w-]+)\.js'/g)].map((m) => m[1]!);
    const upward = imports.filter((i) => layers[i]! > layers[name]!);
    expect(upward, `${name} (layer ${layers[name]}) imports a higher layer`).toEqual([]);
  });
});
