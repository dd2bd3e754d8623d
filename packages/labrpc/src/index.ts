export type { Clock, Timer } from './clock.js';
export { type Codec, createMsgpackCodec, msgpackCodec } from './codec.js';
export { InvalidArgumentError } from './errors/invalid-argument-error.js';
export { RaftkitError } from './errors/raftkit-error.js';
export { SimulationStalledError } from './errors/simulation-stalled-error.js';
export { UnknownEndError } from './errors/unknown-end-error.js';
export { UnknownMethodError } from './errors/unknown-method-error.js';
export { type LogRecord, type Logger, noopLogger } from './logger.js';
export { RealClock } from './real-clock.js';
export type { Rng } from './rng.js';
export { RpcServer } from './rpc-server.js';
export { createCryptoRng, createSeededRng } from './seeded-rng.js';
export { SimNetwork, type SimNetworkOptions } from './sim-network.js';
export { type RunOptions, Simulation, type SimulationOptions } from './simulation.js';
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
export { VirtualClock } from './virtual-clock.js';
