import { InvalidArgumentError } from '@raftkit/core';
import { type Command, Option } from 'commander';
import { checkCa, checkCertAndKey, readTlsFile } from '../util/tls-files.js';

/** etcdctl's TLS flags, as every client verb and `raftkit bench` take them. */
export interface TlsFlags {
  /** CA certificate(s) to trust for https:// endpoints (instead of the system's). */
  cacert?: string;
  /** Client certificate to present when the server asks for one, with `key`. */
  cert?: string;
  key?: string;
}

/**
 * TLS material for https:// endpoints (handed to the https keep-alive agent). Absent fields
 * mean Node's defaults: the system's CAs, no client certificate.
 */
export interface ClientTls {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

/** Adds --cacert, --cert and --key (also from RAFTKIT_CACERT, RAFTKIT_CERT, RAFTKIT_KEY). */
export function withTlsFlags(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--cacert <file>',
        'https:// endpoints: trust servers whose certificate this CA signed',
      ).env('RAFTKIT_CACERT'),
    )
    .addOption(
      new Option(
        '--cert <file>',
        'https:// endpoints: client certificate to present (with --key)',
      ).env('RAFTKIT_CERT'),
    )
    .addOption(
      new Option('--key <file>', 'https:// endpoints: the key of --cert').env('RAFTKIT_KEY'),
    );
}

/**
 * Reads and checks the files the flags name; undefined when none is given. Throws
 * InvalidArgumentError naming the flag and file (a usage error: exit code 2).
 */
export function loadTlsFlags(flags: TlsFlags): ClientTls | undefined {
  const { cacert, cert, key } = flags;
  if (cacert === undefined && cert === undefined && key === undefined) return undefined;
  if ((cert === undefined) !== (key === undefined)) {
    throw new InvalidArgumentError({
      argument: cert === undefined ? 'cert' : 'key',
      message:
        cert === undefined
          ? '--key needs --cert (the client certificate of that key)'
          : '--cert needs --key (the private key of that certificate)',
    });
  }
  const tls: ClientTls = {};
  if (cacert !== undefined) {
    tls.ca = readTlsFile('cacert', cacert);
    checkCa('cacert', cacert, tls.ca);
  }
  if (cert !== undefined && key !== undefined) {
    tls.cert = readTlsFile('cert', cert);
    tls.key = readTlsFile('key', key);
    checkCertAndKey(
      { flag: 'cert', file: cert, pem: tls.cert },
      { flag: 'key', file: key, pem: tls.key },
    );
  }
  return tls;
}
