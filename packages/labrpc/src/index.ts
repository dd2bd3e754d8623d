export { SimulationStalledError } from './errors/simulation-stalled-error.js';
export { UnknownEndError } from './errors/unknown-end-error.js';
export { createSeededRng } from './seeded-rng.js';
export { type NetworkFaults, SimNetwork, type SimNetworkOptions } from './sim-network.js';
export { type RunOptions, Simulation, type SimulationOptions } from './simulation.js';
export { VirtualClock } from './virtual-clock.js';
