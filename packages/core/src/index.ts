export type { Clock, Timer } from './clock.js';
export type { Codec } from './codec.js';
export { createCryptoRng } from './crypto-rng.js';
export { InvalidArgumentError } from './errors/invalid-argument-error.js';
export { RaftkitError } from './errors/raftkit-error.js';
export { RealTimeInSimulationError } from './errors/real-time-in-simulation-error.js';
export { UnknownMethodError } from './errors/unknown-method-error.js';
export { type LogRecord, type Logger, noopLogger } from './logger.js';
export { RealClock } from './real-clock.js';
export type { Rng } from './rng.js';
export { RpcServer } from './rpc-server.js';
export { assertRealTimeAllowed, enterSimulation, simulationRunning } from './simulation-guard.js';
export type {
  HardState,
  LogEntry,
  PersistBatch,
  PersistedState,
  RaftStorage,
  SnapshotMeta,
} from './storage.js';
export {
  type CallLostReason,
  type CallResult,
  type ClientEnd,
  defineService,
  type MethodTypes,
  type ServiceClient,
  type ServiceDefinition,
  type ServiceHandlers,
  serviceClient,
} from './transport.js';
export { assertNonNegative } from './validate.js';
