import { RaftkitError } from '@raftkit/core';

const marker = Symbol.for('raftkit.error.SimulationStalledError');

/**
 * The simulation has no event left while the code under test still waits, or
 * it ran past its virtual-time or event budget. This is a bug in the code
 * under test (a promise nobody will ever resolve), never a flaky network.
 */
export class SimulationStalledError extends RaftkitError {
  readonly [marker] = true;
  /** Virtual time in ms when the stall was detected. */
  readonly at: number;
  /** Human-readable descriptions of what was still waiting. */
  readonly waiting: readonly string[];

  constructor(options: { at: number; reason: string; waiting: readonly string[] }) {
    const list = options.waiting.length > 0 ? `; waiting: ${options.waiting.join('; ')}` : '';
    super({
      code: 'SIMULATION_STALLED',
      message: `simulation stalled at t=${options.at.toFixed(3)}ms: ${options.reason}${list}`,
    });
    this.at = options.at;
    this.waiting = options.waiting;
  }

  static override isInstance(error: unknown): error is SimulationStalledError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
