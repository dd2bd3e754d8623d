import { RaftkitError } from '@raftkit/core';

const marker = Symbol.for('raftkit.error.HttpRequestError');

/**
 * Why a request got no reply. `refused`: the connection was refused, so the request was never
 * sent (safe to send elsewhere, even a write). `tls`: the TLS handshake failed (an untrusted
 * server certificate, a missing or refused client certificate), so no server processed the
 * request; retrying elsewhere with the same TLS options would fail alike. `timeout` and
 * `network`: it may have been delivered, so a write's outcome is unknown.
 */
export type HttpFailure = 'refused' | 'tls' | 'timeout' | 'network';

/** An HTTP request got no reply from `endpoint`. See `failure` for what that means for a write. */
export class HttpRequestError extends RaftkitError {
  readonly [marker] = true;
  readonly failure: HttpFailure;
  readonly endpoint: string;

  constructor(options: { failure: HttpFailure; endpoint: string; reason: string }) {
    super({
      code: 'HTTP_REQUEST_FAILED',
      message:
        options.failure === 'tls'
          ? `${options.endpoint}: ${options.reason}`
          : `${options.endpoint}: ${options.reason} (${options.failure}); is the server running and reachable?`,
    });
    this.failure = options.failure;
    this.endpoint = options.endpoint;
  }

  static override isInstance(error: unknown): error is HttpRequestError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
