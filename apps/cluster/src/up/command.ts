import { basename, relative } from 'node:path';
import { RaftkitError } from '@raftkit/core';
import { Command, InvalidArgumentError as CommanderArgError, Option } from 'commander';
import { startUp } from './run-up.js';
import { DEFAULT_UP_DATA_DIR } from './up-plan.js';

function clusterSize(value: string): 3 | 5 {
  if (value !== '3' && value !== '5')
    throw new CommanderArgError(`--nodes must be 3 or 5, got "${value}"`);
  return Number(value) as 3 | 5;
}

function ports(value: string): number[] {
  const list = value.split(',').map((s) => Number(s.trim()));
  if (list.some((p) => !(Number.isInteger(p) && p >= 1 && p <= 65535))) {
    throw new CommanderArgError(`expected comma-separated ports in 1..65535, got "${value}"`);
  }
  return list;
}

/** How a user reruns this CLI: `raftkit` when run as that command, else `node <path>`. */
function cliCommand(): string {
  const script = process.argv[1] ?? '';
  if (basename(script) === 'raftkit') return 'raftkit';
  const rel = relative(process.cwd(), script);
  return `node ${rel.startsWith('..') ? script : rel}`;
}

/** `raftkit up`: a local development cluster, one process per node. */
export function upCommand(): Command {
  return new Command('up')
    .description(
      'start a local cluster on 127.0.0.1, one process per node; Ctrl-C stops it; the same --data-dir brings it back with its data',
    )
    .option('-n, --nodes <n>', 'cluster size: 3 or 5', clusterSize, 3)
    .option('--data-dir <dir>', 'where nodes keep their data and logs', DEFAULT_UP_DATA_DIR)
    .option(
      '--client-ports <list>',
      'client (gateway) ports, one per node (default 12379,22379,…)',
      ports,
    )
    .option('--peer-ports <list>', 'peer ports, one per node (default 12380,22380,…)', ports)
    .option('--json', 'one JSON object per line')
    .addOption(
      new Option('--engine <e>', 'raftkit nodes, or Debian etcd members for comparison')
        .choices(['raftkit', 'etcd'])
        .default('raftkit'),
    )
    .action(
      async (flags: {
        nodes: 3 | 5;
        dataDir: string;
        clientPorts?: number[];
        peerPorts?: number[];
        json?: boolean;
        engine: 'raftkit' | 'etcd';
      }) => {
        let handle: ReturnType<typeof startUp>;
        try {
          handle = startUp({
            engine: flags.engine,
            nodes: flags.nodes,
            dataDir: flags.dataDir,
            ...(flags.clientPorts ? { clientPorts: flags.clientPorts } : {}),
            ...(flags.peerPorts ? { peerPorts: flags.peerPorts } : {}),
            json: flags.json === true,
            readyMs: 30_000,
            print: (line) => console.log(line),
            cliCommand: cliCommand(),
          });
        } catch (error) {
          if (!RaftkitError.isInstance(error)) throw error;
          console.error(`Error: ${error.message}`);
          process.exitCode = 2;
          return;
        }
        await new Promise<void>((resolve) => {
          // Stays installed: Ctrl-C signals the whole process group, and a second signal while
          // the nodes stop must not kill `up` before it has stopped them.
          const stop = () => resolve();
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
        await handle.stop();
        console.log(flags.json ? JSON.stringify({ event: 'stopped' }) : 'stopped');
      },
    );
}
