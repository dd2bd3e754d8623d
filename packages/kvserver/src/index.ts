export { KvServer, type KvServerOptions } from './kv-server.js';
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
