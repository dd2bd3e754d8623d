import type { CoreState } from './state.js';

/**
 * Draws the next election deadline from the injected rng: now + rand(min..max)
 * ms, stretched by one range per campaign that failed since a leader was last
 * heard from (capped at 4×). Backing off lets votes whose replies the network
 * delays arrive before the candidate gives up on its term, and desynchronises
 * duelling candidates; hearing from a leader resets it.
 */
export function resetElectionTimer(r: CoreState): void {
  const { electionTimeoutMinMs: min, electionTimeoutMaxMs: max } = r.config;
  const stretch = Math.min(r.failedCampaigns, 3) * (max - min);
  r.electionDeadline = r.now + r.rng.int(min, max + stretch);
}
