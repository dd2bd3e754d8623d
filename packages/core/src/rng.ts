/**
 * A source of randomness. Simulations use a seeded one so that a seed
 * replays everything; production uses a crypto-seeded one.
 */
export interface Rng {
  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** Uniform float in [0, 1). */
  float(): number;
  /** True with probability `p` (0 ≤ p ≤ 1). */
  chance(p: number): boolean;
  /**
   * An independent stream derived from this stream's seed and `name` (not from
   * its draws), so that extra draws in one component never reshuffle another.
   */
  fork(name: string): Rng;
  /** The seed this stream was derived from (for printing, not for reuse). */
  readonly seed: string;
}
