import { RaftkitError } from '@raftkit/core';

const marker = Symbol.for('raftkit.error.GatewayError');

/**
 * A server speaking etcd's v3 JSON gateway answered a request with an error body
 * (`{"error","message","code"}`) or an unexpected status. The request reached the server;
 * for a write, whether it applied depends on the error (etcd's own texts say).
 */
export class GatewayError extends RaftkitError {
  readonly [marker] = true;
  /** The endpoint that answered, e.g. `http://127.0.0.1:2379`. */
  readonly endpoint: string;
  /** The request path, e.g. `/v3/kv/put`. */
  readonly path: string;
  readonly httpStatus: number;
  /** The gRPC status code from the body, when there was one. */
  readonly grpcCode: number | undefined;

  constructor(options: {
    endpoint: string;
    path: string;
    httpStatus: number;
    grpcCode?: number;
    message: string;
  }) {
    super({
      code: 'GATEWAY_ERROR',
      message: `${options.endpoint}${options.path} answered HTTP ${options.httpStatus}: ${options.message}`,
    });
    this.endpoint = options.endpoint;
    this.path = options.path;
    this.httpStatus = options.httpStatus;
    this.grpcCode = options.grpcCode;
  }

  static override isInstance(error: unknown): error is GatewayError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
