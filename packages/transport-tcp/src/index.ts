export { backoffDelay } from './backoff.js';
export { InsecureBindError } from './errors/insecure-bind-error.js';
export { ListenError } from './errors/listen-error.js';
export { UnknownPeerError } from './errors/unknown-peer-error.js';
export { type CutDirection, FAULT_LOST_MAX_MS, type LinkFaults, TcpFaults } from './faults.js';
export {
  type BackoffOptions,
  defaultLimits,
  isLoopback,
  type PeerAddress,
  type TcpAuthOptions,
  type TcpLimits,
  type TcpTransportOptions,
  type TlsFiles,
} from './options.js';
export type { TcpTransportStats } from './stats.js';
export { createTcpTransport, TcpTransport } from './transport.js';
