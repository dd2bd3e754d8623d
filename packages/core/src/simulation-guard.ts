import { RealTimeInSimulationError } from './errors/real-time-in-simulation-error.js';

/**
 * Marks the stretch of time in which a deterministic simulation drives this
 * thread (a count, so that nested or sequential simulations compose). While it
 * is non-zero, `RealClock` and `createCryptoRng` refuse to work: a component
 * that silently fell back to them would make the run depend on the wall clock.
 */
const ACTIVE = Symbol.for('raftkit.simulation.active');

type Marked = { [ACTIVE]?: number };

/**
 * Called by a simulator while it runs (labrpc's `Simulation.run`). Returns
 * the function that ends the stretch; call it exactly once.
 */
export function enterSimulation(): () => void {
  const g = globalThis as Marked;
  g[ACTIVE] = (g[ACTIVE] ?? 0) + 1;
  let left = false;
  return () => {
    if (left) return;
    left = true;
    g[ACTIVE] = Math.max(0, (g[ACTIVE] ?? 1) - 1);
  };
}

/** Whether a simulation is running on this thread. */
export function simulationRunning(): boolean {
  return ((globalThis as Marked)[ACTIVE] ?? 0) > 0;
}

/** Throws `RealTimeInSimulationError` naming `what` when a simulation is running. */
export function assertRealTimeAllowed(what: string): void {
  if (((globalThis as Marked)[ACTIVE] ?? 0) > 0) throw new RealTimeInSimulationError({ what });
}
