/**
 * Outcome codes of a key/value RPC. `OK` is the only success. The first five
 * are the lab's (what the clerk does next); the others are etcd's errors,
 * each mapped to etcd's gRPC code, message and HTTP status by `etcdError`.
 */
export type KvErr =
  /** Done. */
  | 'OK'
  /** This server is not the leader (or lost leadership before the op committed): try another. */
  | 'ErrWrongLeader'
  /** The op did not commit in time here; it may still commit. Retry (the request id makes it safe). */
  | 'ErrTimeout'
  /** The server is shutting down: try another. */
  | 'ErrKilled'
  /** The request is malformed (see `message`); retrying will not help. Nothing was changed. */
  | 'ErrBadRequest'
  /** No leader is known (an election is under way or this server is cut off): retry later. */
  | 'ErrNoLeader'
  /** An empty key (etcd: "key is not provided"). */
  | 'ErrEmptyKey'
  /** `ignoreValue`/`ignoreLease` on a key that does not exist. */
  | 'ErrKeyNotFound'
  /** A read at a revision older than the oldest one kept. */
  | 'ErrCompacted'
  /** A read at a revision newer than the store's. */
  | 'ErrFutureRevision'
  /** A put names a lease that does not exist. */
  | 'ErrLeaseNotFound'
  /** A lease grant names an id already in use. */
  | 'ErrLeaseExists'
  /** A txn writes one key twice, or puts a key it also deletes. */
  | 'ErrDuplicateKey'
  /** A txn has more compares or ops in one list than the limit (128). */
  | 'ErrTooManyOps'
  /** `ignoreValue` together with a value. */
  | 'ErrValueProvided'
  /** `ignoreLease` together with a lease. */
  | 'ErrLeaseProvided'
  /**
   * Another clerk is using this client id (a request with an older sequence
   * number, or the same number with different content, arrived after a newer
   * one executed). Nothing was changed. Give every clerk its own id.
   */
  | 'ErrClientIdInUse'
  /** A string Get found a value that is not UTF-8; read it as bytes (Range). */
  | 'ErrNotText';

/** gRPC status codes used by etcd's errors. */
export const GrpcCode = {
  InvalidArgument: 3,
  NotFound: 5,
  FailedPrecondition: 9,
  OutOfRange: 11,
  Unavailable: 14,
} as const;

/** An etcd error as its JSON gateway shows it. */
export interface EtcdError {
  /** gRPC status code. */
  code: number;
  /** etcd's message ("etcdserver: ..."). */
  message: string;
  /** HTTP status (grpc-gateway v1 mapping of `code`). */
  httpStatus: number;
}

/** grpc-gateway v1's HTTP status for a gRPC code. */
export function httpStatusOf(code: number): number {
  switch (code) {
    case 0:
      return 200;
    case 1:
      return 408;
    case 3:
    case 11:
      return 400;
    case 4:
      return 504;
    case 5:
      return 404;
    case 6:
    case 10:
      return 409;
    case 7:
      return 403;
    case 8:
      return 429;
    case 9:
      return 412;
    case 12:
      return 501;
    case 14:
      return 503;
    case 16:
      return 401;
    default:
      return 500;
  }
}

const messages: Record<Exclude<KvErr, 'OK'>, [number, string]> = {
  ErrWrongLeader: [GrpcCode.Unavailable, 'etcdserver: leader changed'],
  ErrTimeout: [GrpcCode.Unavailable, 'etcdserver: request timed out'],
  ErrKilled: [GrpcCode.Unavailable, 'etcdserver: server stopped'],
  ErrBadRequest: [GrpcCode.InvalidArgument, 'etcdserver: bad request'],
  ErrNoLeader: [GrpcCode.Unavailable, 'etcdserver: no leader'],
  ErrEmptyKey: [GrpcCode.InvalidArgument, 'etcdserver: key is not provided'],
  ErrKeyNotFound: [GrpcCode.InvalidArgument, 'etcdserver: key not found'],
  ErrCompacted: [GrpcCode.OutOfRange, 'etcdserver: mvcc: required revision has been compacted'],
  ErrFutureRevision: [
    GrpcCode.OutOfRange,
    'etcdserver: mvcc: required revision is a future revision',
  ],
  ErrLeaseNotFound: [GrpcCode.NotFound, 'etcdserver: requested lease not found'],
  ErrLeaseExists: [GrpcCode.FailedPrecondition, 'etcdserver: lease already exists'],
  ErrDuplicateKey: [GrpcCode.InvalidArgument, 'etcdserver: duplicate key given in txn request'],
  ErrTooManyOps: [GrpcCode.InvalidArgument, 'etcdserver: too many operations in txn request'],
  ErrValueProvided: [GrpcCode.InvalidArgument, 'etcdserver: value is provided'],
  ErrLeaseProvided: [GrpcCode.InvalidArgument, 'etcdserver: lease is provided'],
  ErrClientIdInUse: [GrpcCode.FailedPrecondition, 'raftkit: client id in use by another clerk'],
  ErrNotText: [GrpcCode.InvalidArgument, 'raftkit: value is not UTF-8 text'],
};

/**
 * etcd's gRPC code, message and HTTP status for a non-OK outcome. With
 * ErrBadRequest, `detail` (what was wrong) replaces the generic message.
 */
export function etcdError(err: Exclude<KvErr, 'OK'>, detail?: string): EtcdError {
  const [code, message] = messages[err];
  return {
    code,
    message: err === 'ErrBadRequest' && detail !== undefined ? detail : message,
    httpStatus: httpStatusOf(code),
  };
}

/** Every KvErr other than OK (for validation of replies and for tests). */
export const KV_ERRORS = Object.keys(messages) as Exclude<KvErr, 'OK'>[];
