import { InvalidArgumentError, RaftkitError } from '@raftkit/core';
import { type Command, InvalidArgumentError as CommanderArgError, Option } from 'commander';
import { DEFAULT_ENDPOINTS, parseEndpoints } from './endpoints.js';
import { OUTPUT_FORMATS, type OutputFormat } from './format.js';
import { GatewayClient } from './gateway-client.js';
import { loadTlsFlags, type TlsFlags, withTlsFlags } from './tls-options.js';

/** Options every client verb takes. */
export interface ClientFlags extends TlsFlags {
  endpoints: string;
  commandTimeout: number;
  writeOut: OutputFormat;
}

function positiveMs(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new CommanderArgError(`expected a positive number of ms, got "${value}"`);
  return n;
}

/** Adds --endpoints, --command-timeout, -w, and --cacert/--cert/--key to `command`. */
export function withClientFlags(command: Command): Command {
  return withTlsFlags(
    command
      .addOption(
        new Option('--endpoints <urls>', 'comma-separated client URLs of the cluster')
          .env('RAFTKIT_ENDPOINTS')
          .default(DEFAULT_ENDPOINTS),
      )
      .option('--command-timeout <ms>', 'bound on each request, ms', positiveMs, 5000)
      .addOption(
        new Option('-w, --write-out <format>', 'output format')
          .choices(OUTPUT_FORMATS as string[])
          .default('simple'),
      ),
  );
}

/**
 * Runs a verb with a client built from its flags, closes the client, and turns raftkit errors
 * into one "Error: ..." line on stderr and exit code 1 (3 is left for a failed compare).
 */
export async function runWithClient(
  flags: ClientFlags,
  body: (client: GatewayClient) => Promise<void>,
): Promise<void> {
  let client: GatewayClient | undefined;
  try {
    const tls = loadTlsFlags(flags);
    client = new GatewayClient({
      endpoints: parseEndpoints(flags.endpoints),
      timeoutMs: flags.commandTimeout,
      ...(tls !== undefined ? { tls } : {}),
    });
    await body(client);
  } catch (error) {
    if (!RaftkitError.isInstance(error)) throw error;
    console.error(`Error: ${error.message}`);
    process.exitCode = error.code === 'INVALID_ARGUMENT' ? 2 : 1; // usage error: 2
  } finally {
    client?.close();
  }
}

/** A non-negative integer flag value, for commander. */
export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new CommanderArgError(`expected a non-negative integer, got "${value}"`);
  }
  return n;
}

export { InvalidArgumentError };
