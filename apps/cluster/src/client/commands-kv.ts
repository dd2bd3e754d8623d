import { InvalidArgumentError } from '@raftkit/core';
import { Command } from 'commander';
import {
  type ClientFlags,
  nonNegativeInt,
  runWithClient,
  withClientFlags,
} from './command-options.js';
import { renderTable } from './format.js';
import { del, get, type KeyValue, put } from './kv.js';
import { type CasCondition, compareAndSwap } from './txn.js';

function kvRows(kvs: readonly KeyValue[]): string[][] {
  return kvs.map((kv) => [
    kv.key,
    kv.value,
    String(kv.createRevision),
    String(kv.modRevision),
    String(kv.version),
  ]);
}

const KV_HEADER = ['KEY', 'VALUE', 'CREATE REV', 'MOD REV', 'VERSION'];

function putCommand(): Command {
  return withClientFlags(new Command('put'))
    .description('put a value at a key (prints OK)')
    .argument('<key>')
    .argument('<value>')
    .option('--prev-kv', 'also print the previous key-value')
    .action((key: string, value: string, opts: ClientFlags & { prevKv?: boolean }) =>
      runWithClient(opts, async (client) => {
        const r = await put(client, key, value, { prevKv: opts.prevKv === true });
        if (opts.writeOut === 'json') console.log(JSON.stringify(r));
        else {
          console.log('OK');
          if (r.prevKv) console.log(`${r.prevKv.key}\n${r.prevKv.value}`);
        }
      }),
    );
}

function getCommand(): Command {
  return withClientFlags(new Command('get'))
    .description('read a key or a prefix (linearizable unless --serializable)')
    .argument('<key>')
    .option('--prefix', 'every key starting with <key>')
    .option('--serializable', "answer from the contacted member's replica (may be stale)")
    .option('--limit <n>', 'at most n keys', nonNegativeInt, 0)
    .option('--keys-only', 'print keys only')
    .option('--print-value-only', 'print values only')
    .action(
      (
        key: string,
        opts: ClientFlags & {
          prefix?: boolean;
          serializable?: boolean;
          limit: number;
          keysOnly?: boolean;
          printValueOnly?: boolean;
        },
      ) =>
        runWithClient(opts, async (client) => {
          const r = await get(client, key, {
            prefix: opts.prefix === true,
            serializable: opts.serializable === true,
            limit: opts.limit,
            keysOnly: opts.keysOnly === true,
          });
          if (opts.writeOut === 'json') console.log(JSON.stringify(r));
          else if (opts.writeOut === 'table') console.log(renderTable(KV_HEADER, kvRows(r.kvs)));
          else {
            for (const kv of r.kvs) {
              if (!opts.printValueOnly) console.log(kv.key);
              if (!opts.keysOnly) console.log(kv.value);
            }
          }
        }),
    );
}

function delCommand(): Command {
  return withClientFlags(new Command('del'))
    .description('delete a key or a prefix (prints how many keys were deleted)')
    .argument('<key>')
    .option('--prefix', 'every key starting with <key>')
    .action((key: string, opts: ClientFlags & { prefix?: boolean }) =>
      runWithClient(opts, async (client) => {
        const r = await del(client, key, { prefix: opts.prefix === true });
        console.log(opts.writeOut === 'json' ? JSON.stringify(r) : String(r.deleted));
      }),
    );
}

interface TxnFlags extends ClientFlags {
  ifValue?: string;
  ifVersion?: number;
  ifModRevision?: number;
  ifCreateRevision?: number;
  ifAbsent?: boolean;
}

function conditionOf(opts: TxnFlags): CasCondition {
  const given: CasCondition[] = [];
  if (opts.ifValue !== undefined) given.push({ kind: 'value', value: opts.ifValue });
  if (opts.ifVersion !== undefined) given.push({ kind: 'version', version: opts.ifVersion });
  if (opts.ifModRevision !== undefined)
    given.push({ kind: 'mod-revision', revision: opts.ifModRevision });
  if (opts.ifCreateRevision !== undefined)
    given.push({ kind: 'create-revision', revision: opts.ifCreateRevision });
  if (opts.ifAbsent) given.push({ kind: 'absent' });
  if (given.length !== 1) {
    throw new InvalidArgumentError({
      argument: 'condition',
      message:
        'give exactly one of --if-value, --if-version, --if-mod-revision, --if-create-revision, --if-absent',
    });
  }
  return given[0]!;
}

function txnCommand(): Command {
  return withClientFlags(new Command('txn'))
    .description(
      'compare-and-swap in one transaction: put <value> at <key> if the condition holds. Prints SUCCESS, or FAILURE and the current key-value (exit code 3)',
    )
    .argument('<key>')
    .argument('<value>')
    .option('--if-value <v>', "the key's value is v")
    .option('--if-version <n>', "the key's version is n (0: absent)", nonNegativeInt)
    .option('--if-mod-revision <n>', "the key's mod revision is n", nonNegativeInt)
    .option('--if-create-revision <n>', "the key's create revision is n", nonNegativeInt)
    .option('--if-absent', 'the key does not exist')
    .action((key: string, value: string, opts: TxnFlags) =>
      runWithClient(opts, async (client) => {
        const r = await compareAndSwap(client, key, conditionOf(opts), value);
        if (opts.writeOut === 'json') console.log(JSON.stringify(r));
        else {
          console.log(r.succeeded ? 'SUCCESS' : 'FAILURE');
          if (r.current) console.log(`${r.current.key}\n${r.current.value}`);
        }
        if (!r.succeeded) process.exitCode = 3;
      }),
    );
}

/** put, get, del, txn. */
export function kvCommands(): Command[] {
  return [putCommand(), getCommand(), delCommand(), txnCommand()];
}
