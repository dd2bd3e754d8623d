import { RaftkitError } from '@raftkit/core';

const marker = Symbol.for('raftkit.error.ListenError');

/**
 * The transport could not listen (address in use, permission denied, bad
 * certificate files…). `cause` holds the system error. Nothing is listening.
 */
export class ListenError extends RaftkitError {
  readonly [marker] = true;
  readonly host: string;
  readonly port: number;

  constructor(options: { host: string; port: number; cause: unknown }) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super({
      code: 'LISTEN_FAILED',
      message: `cannot listen on ${options.host}:${options.port}: ${reason}. Pick a free port (0 lets the system choose) and check the TLS files`,
      cause: options.cause,
    });
    this.host = options.host;
    this.port = options.port;
  }

  static override isInstance(error: unknown): error is ListenError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
