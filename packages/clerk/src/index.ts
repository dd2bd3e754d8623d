export {
  Clerk,
  type DeleteOptions,
  type PutOptions,
  type RangeOptions,
} from './clerk.js';
export { KvBadRequestError } from './errors/bad-request-error.js';
export { ClerkAbortedError } from './errors/clerk-aborted-error.js';
export { ClientIdInUseError } from './errors/client-id-in-use-error.js';
export { KvRequestError } from './errors/kv-request-error.js';
export type { CallOptions, ClerkOptions } from './options.js';
