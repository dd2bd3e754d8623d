import type { Command } from 'commander';
import { clusterCommands } from './commands-cluster.js';
import { kvCommands } from './commands-kv.js';

/** Adds the etcdctl-like verbs (put, get, del, txn, member, endpoint, move-leader) to `program`. */
export function registerClientCommands(program: Command): void {
  for (const c of [...kvCommands(), ...clusterCommands()]) program.addCommand(c);
}
