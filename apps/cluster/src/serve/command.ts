import { RaftkitError } from '@raftkit/core';
import { Command, InvalidArgumentError as CommanderArgError, Option } from 'commander';
import { type ClientTlsOptions, loadClientTls } from './client-tls.js';
import { resolveServeConfig, type ServeConfig, type ServeFlags } from './config.js';
import { tuneJitForServing } from './jit-tiering.js';
import { runServe } from './run-serve.js';

function int(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new CommanderArgError(`expected an integer, got "${value}"`);
  return n;
}

/** `raftkit serve`: one node of a cluster, from a config file and/or flags. */
export function serveCommand(): Command {
  return new Command('serve')
    .description(
      'run one node: Raft over TCP, a durable WAL, the etcd v3 JSON gateway, /health and /metrics',
    )
    .option('--config <file>', 'JSON config file (flags override it)')
    .option('--node-id <id>', 'this node, one of --peers')
    .option('--cluster-id <id>', 'the cluster (peers of another cluster are refused)', undefined)
    .option('--peers <list>', 'every member as id=host:port (peer address), this node included')
    .option('--listen-client <host:port>', 'HTTP(S): gateway, /health, /metrics')
    .option('--listen-peer <host:port>', 'TCP transport')
    .option(
      '--client-urls <list>',
      'the client URL each member advertises, id=http(s)://host:port,… (member list)',
    )
    .option(
      '--listen-admin <host:port>',
      'loopback-only HTTP endpoint controlling the transport fault layer (for torture tests)',
    )
    .option('--data-dir <dir>', 'write-ahead log and snapshots')
    .option('--secret-file <file>', 'shared cluster secret (HMAC handshake)')
    .option('--tls-cert <file>', 'mutual TLS: this node certificate')
    .option('--tls-key <file>', 'mutual TLS: its key')
    .option('--tls-ca <file>', 'mutual TLS: the CA both sides trust')
    .option('--client-tls-cert <file>', 'serve the client listener over HTTPS: its certificate')
    .option('--client-tls-key <file>', 'HTTPS client listener: the key of that certificate')
    .option(
      '--client-tls-ca <file>',
      'HTTPS client listener: require client certificates signed by this CA',
    )
    .option('--election-timeout-min-ms <ms>', 'Raft', int)
    .option('--election-timeout-max-ms <ms>', 'Raft', int)
    .option('--heartbeat-ms <ms>', 'Raft', int)
    .option(
      '--commit-notify-delay-ms <ms>',
      'Raft: followers hear of a commit with nothing else to send this much later (default 2)',
      int,
    )
    .option('--no-pre-vote', 'Raft: disable PreVote')
    .option('--no-check-quorum', 'Raft: disable CheckQuorum')
    .option(
      '--snapshot-threshold <bytes>',
      'snapshot when the Raft state nears this size (-1: never)',
      int,
    )
    .addOption(new Option('--log-level <level>').choices(['debug', 'info', 'warn', 'error']))
    .action(
      async (flags: ServeFlags & { preVote: boolean; checkQuorum: boolean }, command: Command) => {
        // commander sets --no-x flags to true by default; only pass them on when given.
        const given = (name: string) => command.getOptionValueSource(name) === 'cli';
        let config: ServeConfig;
        let clientTls: ClientTlsOptions | undefined;
        try {
          config = resolveServeConfig({
            ...flags,
            preVote: given('preVote') ? flags.preVote : undefined,
            checkQuorum: given('checkQuorum') ? flags.checkQuorum : undefined,
          });
          clientTls = loadClientTls(config.clientSecurity);
        } catch (error) {
          if (!RaftkitError.isInstance(error)) throw error;
          console.error(`Error: ${error.message}`);
          process.exitCode = 2;
          return;
        }
        tuneJitForServing();
        await runServe(config, clientTls);
      },
    );
}
