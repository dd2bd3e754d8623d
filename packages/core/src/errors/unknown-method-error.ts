import { RaftkitError } from './raftkit-error.js';

const marker = Symbol.for('raftkit.error.UnknownMethodError');

/** An RPC named a service or method the server does not register. Register the service first. */
export class UnknownMethodError extends RaftkitError {
  readonly [marker] = true;
  readonly method: string;

  constructor(options: { method: string; known: readonly string[] }) {
    super({
      code: 'UNKNOWN_METHOD',
      message: `no handler for RPC "${options.method}"; registered: ${options.known.join(', ') || '(none)'}`,
    });
    this.method = options.method;
  }

  static override isInstance(error: unknown): error is UnknownMethodError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
