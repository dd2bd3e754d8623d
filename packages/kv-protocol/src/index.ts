export {
  byteLength,
  bytesProblem,
  compareBytes,
  decodeUtf8,
  isWellFormed,
  type KvBytes,
  prefixRangeEnd,
  toBytes,
  utf8Length,
} from './bytes.js';
export { etcdProblem } from './etcd-check.js';
export {
  type EtcdError,
  etcdError,
  GrpcCode,
  httpStatusOf,
  KV_ERRORS,
  type KvErr,
} from './kv-err.js';
export {
  DEFAULT_REQUEST_LIMITS,
  MAX_CLIENT_ID_LENGTH,
  MAX_DURATION_MS,
  MAX_TXN_DEPTH,
  MAX_TXN_OPS,
  type RequestLimits,
} from './limits.js';
export {
  type AppendRequest,
  type CompactRequest,
  type Compare,
  CompareResult,
  CompareTarget,
  type DeleteRangeRequest,
  isReadOnly,
  isSerializable,
  type KvOp,
  type KvRequest,
  type LeaseGrantRequest,
  type LeaseRevokeRequest,
  type PutRequest,
  type RangeRequest,
  type RequestOp,
  SortOrder,
  SortTarget,
  type TxnRequest,
} from './requests.js';
export type {
  DeleteRangeResult,
  KeyValue,
  KvMember,
  KvResult,
  KvStatus,
  LeaseGrantResult,
  PutResult,
  RangeResult,
  ResponseOp,
  TxnResult,
} from './results.js';
export {
  type ExecuteArgs,
  type ExecuteReply,
  type GetArgs,
  type GetReply,
  type KvMethods,
  kvService,
  type PutAppendArgs,
  type PutAppendReply,
  type RequestId,
  type StatusArgs,
  type StatusReply,
} from './rpc.js';
export {
  clientIdProblem,
  executeProblem,
  kvRequestProblem,
  requestProblem,
} from './validate-request.js';
