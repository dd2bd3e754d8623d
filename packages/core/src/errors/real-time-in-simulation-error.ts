import { RaftkitError } from './raftkit-error.js';

const marker = Symbol.for('raftkit.error.RealTimeInSimulationError');

/**
 * A component reached for real time or real randomness (`RealClock`,
 * `createCryptoRng`) while a deterministic simulation was running, which would
 * make the run depend on more than its seed. Pass the simulation's clock and
 * rng (`sim.clock`, `sim.rng.fork(name)`) to every component built for it.
 */
export class RealTimeInSimulationError extends RaftkitError {
  readonly [marker] = true;
  /** What was reached for, e.g. `RealClock.now` or `createCryptoRng`. */
  readonly what: string;

  constructor(options: { what: string; cause?: unknown }) {
    super({
      code: 'REAL_TIME_IN_SIMULATION',
      message:
        `${options.what} was used while a simulation is running: real time and real randomness ` +
        'would make the run depend on more than its seed; pass the simulation clock and rng ' +
        '(sim.clock, sim.rng.fork(name)) to every component built for it',
      cause: options.cause,
    });
    this.what = options.what;
  }

  static override isInstance(error: unknown): error is RealTimeInSimulationError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
