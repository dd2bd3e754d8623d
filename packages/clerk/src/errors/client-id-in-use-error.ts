import { RaftkitError } from '@raftkit/core';

const marker = Symbol.for('raftkit.error.ClientIdInUseError');

/**
 * Another clerk uses this clerk's id: in this process (two clerks made with
 * the same explicit `clientId` and one clock), or as the servers saw it (a
 * request of this clerk arrived after a newer one with the same id). The
 * request was not executed. Give every clerk its own id (the default draws a
 * random one); call `close()` on a clerk before reusing its id.
 */
export class ClientIdInUseError extends RaftkitError {
  readonly [marker] = true;
  readonly clientId: string;

  constructor(options: { clientId: string; where: 'process' | 'server' }) {
    super({
      code: 'KV_CLIENT_ID_IN_USE',
      message:
        options.where === 'process'
          ? `clientId ${JSON.stringify(options.clientId)} is already used by another clerk in this process: give each clerk its own id, or close() the other first`
          : `the servers report that another clerk uses clientId ${JSON.stringify(options.clientId)} (its requests overtook this clerk's); the request was not executed: give each clerk its own id`,
    });
    this.clientId = options.clientId;
  }

  static override isInstance(error: unknown): error is ClientIdInUseError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
