/**
 * Transport-neutral RPC types. The simulated network and the TCP transport both
 * implement `ClientEnd`; servers dispatch through `RpcServer`.
 */

/** A call's outcome. A lost call (dropped, partitioned, crashed peer) never throws. */
export type CallResult<Reply> = { ok: true; reply: Reply } | { ok: false; reason: CallLostReason };

/**
 * Why a call was lost. The caller cannot tell whether the handler ran: a
 * request may be dropped before it, or a reply after it.
 */
export type CallLostReason = 'lost' | 'closed';

/**
 * One caller's end of a link to one server. `call` resolves exactly once: to the
 * reply, or to `{ ok: false }` after a delay when the network loses the call.
 * It never throws for a network fault and never hangs forever while the
 * transport is alive.
 */
export interface ClientEnd {
  /** `method` is "Service.Method", e.g. "Raft.AppendEntries". */
  call(method: string, args: unknown): Promise<CallResult<unknown>>;
}

/** A service's methods: each method's argument and reply types, declared once. */
export type MethodTypes = Record<string, { args: unknown; reply: unknown }>;

/** A service declaration shared by server and client so both sides type-check. */
export interface ServiceDefinition<M extends MethodTypes> {
  readonly name: string;
  readonly methods: readonly (keyof M & string)[];
  /** Phantom field carrying the method types; never set at run time. */
  readonly __types?: M;
}

/** Declares a service. `defineService<KvMethods>()('KVServer', ['Get', 'Put'])`. */
export function defineService<M extends MethodTypes>() {
  return <const Names extends readonly (keyof M & string)[]>(
    name: string,
    methods: Names,
  ): ServiceDefinition<M> => ({ name, methods });
}

/** Server-side handlers for a service: sync or async, one per method. */
export type ServiceHandlers<M extends MethodTypes> = {
  [K in keyof M]: (args: M[K]['args']) => M[K]['reply'] | Promise<M[K]['reply']>;
};

/** A typed client for one service over one end. */
export type ServiceClient<M extends MethodTypes> = {
  call<K extends keyof M & string>(
    method: K,
    args: M[K]['args'],
  ): Promise<CallResult<M[K]['reply']>>;
};

/** Wraps a raw end in a typed client for `service`. */
export function serviceClient<M extends MethodTypes>(
  end: ClientEnd,
  service: ServiceDefinition<M>,
): ServiceClient<M> {
  const prefix = `${service.name}.`;
  return {
    call(method, args) {
      return end.call(prefix + method, args) as Promise<CallResult<never>>;
    },
  };
}
