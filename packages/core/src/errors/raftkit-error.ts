const marker = Symbol.for('raftkit.error');

/**
 * Base of every error raftkit throws. `code` is stable and machine-readable;
 * `message` says what was wrong and what to do about it.
 * `isInstance` works across duplicate installs of a package (it checks a
 * global symbol, not the prototype chain).
 */
export class RaftkitError extends Error {
  readonly [marker] = true;
  readonly code: string;

  constructor(options: { code: string; message: string; cause?: unknown }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.name = new.target.name;
  }

  static isInstance(error: unknown): error is RaftkitError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
