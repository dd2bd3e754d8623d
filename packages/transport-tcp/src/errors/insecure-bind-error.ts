import { RaftkitError } from '@raftkit/core';

const marker = Symbol.for('raftkit.error.InsecureBindError');

/**
 * A transport was asked to listen on an address beyond loopback without
 * authentication. Configure `auth.tls` (mutual TLS) or `auth.secret` (HMAC
 * challenge), or bind 127.0.0.1. Nothing was opened.
 */
export class InsecureBindError extends RaftkitError {
  readonly [marker] = true;
  /** The host that was refused. */
  readonly host: string;

  constructor(options: { host: string }) {
    super({
      code: 'INSECURE_BIND',
      message:
        `refusing to listen on ${options.host} without authentication: peers beyond loopback ` +
        'must authenticate. Set auth.tls (certificate paths) or auth.secret (a shared cluster ' +
        'secret), or listen on 127.0.0.1',
    });
    this.host = options.host;
  }

  static override isInstance(error: unknown): error is InsecureBindError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
