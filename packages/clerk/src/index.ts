export { type CallOptions, Clerk, type ClerkOptions } from './clerk.js';
export { KvBadRequestError } from './errors/bad-request-error.js';
export { ClerkAbortedError } from './errors/clerk-aborted-error.js';
