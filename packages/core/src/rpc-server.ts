import { InvalidArgumentError } from './errors/invalid-argument-error.js';
import { UnknownMethodError } from './errors/unknown-method-error.js';
import type { MethodTypes, ServiceDefinition, ServiceHandlers } from './transport.js';

type RawHandler = (args: unknown) => unknown;

/**
 * A set of services behind one endpoint, sharing one dispatcher and one count
 * of dispatched RPCs (a Raft peer and a key/value server register on the same
 * server, as in the lab). Any transport delivers requests through `dispatch`.
 */
export class RpcServer {
  private readonly handlers = new Map<string, RawHandler>();
  private dispatched = 0;

  addService<M extends MethodTypes>(
    service: ServiceDefinition<M>,
    handlers: ServiceHandlers<M>,
  ): void {
    for (const method of service.methods) {
      const handler = handlers[method];
      if (typeof handler !== 'function') {
        throw new InvalidArgumentError({
          argument: `handlers.${method}`,
          message: `service ${service.name} declares method ${method} but no handler was given for it`,
        });
      }
      const key = `${service.name}.${method}`;
      if (this.handlers.has(key)) {
        throw new InvalidArgumentError({
          argument: 'service',
          message: `service ${service.name} is already registered on this server`,
        });
      }
      this.handlers.set(key, handler.bind(handlers) as RawHandler);
    }
  }

  /** Whether "Service.Method" has a handler. */
  has(method: string): boolean {
    return this.handlers.has(method);
  }

  /**
   * Runs the handler for "Service.Method". Counts the RPC. Throws
   * `UnknownMethodError` for an unregistered method; a handler's own error
   * propagates to the transport, which decides what the caller sees.
   */
  dispatch(method: string, args: unknown): unknown {
    const handler = this.handlers.get(method);
    if (handler === undefined) {
      throw new UnknownMethodError({ method, known: [...this.handlers.keys()] });
    }
    this.dispatched += 1;
    return handler(args);
  }

  /** RPCs dispatched to a handler so far. */
  get rpcCount(): number {
    return this.dispatched;
  }
}
