export {
  type GetArgs,
  type GetReply,
  type KvErr,
  type KvMethods,
  kvService,
  type PutAppendArgs,
  type PutAppendReply,
  type RequestId,
} from './rpc.js';
export { MAX_CLIENT_ID_LENGTH, type RequestLimits, requestProblem } from './validate-request.js';
