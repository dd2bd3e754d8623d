import { InvalidArgumentError } from './errors/invalid-argument-error.js';
import type { Rng } from './rng.js';
import { assertRealTimeAllowed } from './simulation-guard.js';

/** Number of 32-bit words drawn from the operating system per refill. */
const POOL_WORDS = 256;

/**
 * Randomness from the operating system (`globalThis.crypto.getRandomValues`),
 * for production. Not reproducible: simulations use a seeded rng instead.
 * Draws are buffered `POOL_WORDS` words at a time.
 */
class CryptoRng implements Rng {
  private readonly pool = new Uint32Array(POOL_WORDS);
  private next = POOL_WORDS;
  readonly seed: string;

  constructor(label: string) {
    this.seed = label;
  }

  private word(): number {
    if (this.next === POOL_WORDS) {
      assertRealTimeAllowed('a crypto rng');
      globalThis.crypto.getRandomValues(this.pool);
      this.next = 0;
    }
    const value = this.pool[this.next] as number;
    this.next += 1;
    return value;
  }

  int(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max) {
      throw new InvalidArgumentError({
        argument: 'min/max',
        message: `rng.int needs safe integers with min ≤ max, got [${min}, ${max}]`,
      });
    }
    const span = max - min + 1;
    // Rejection sampling over 53 random bits keeps the draw uniform for any span ≤ 2^53.
    const limit = 2 ** 53 - (2 ** 53 % span);
    for (;;) {
      const draw = this.bits53();
      if (draw < limit) return min + (draw % span);
    }
  }

  private bits53(): number {
    // 27 high bits and 26 low bits: uniform in [0, 2^53).
    return (this.word() >>> 5) * 2 ** 26 + (this.word() >>> 6);
  }

  float(): number {
    return this.bits53() / 2 ** 53;
  }

  chance(p: number): boolean {
    if (!(p >= 0 && p <= 1)) {
      throw new InvalidArgumentError({
        argument: 'p',
        message: `probability must be in [0, 1], got ${p}`,
      });
    }
    return this.float() < p;
  }

  fork(name: string): Rng {
    return new CryptoRng(`${this.seed}/${name}`);
  }
}

/**
 * An rng drawn from the operating system's entropy, for production (not
 * reproducible). Throws `RealTimeInSimulationError` while a simulation runs.
 */
export function createCryptoRng(): Rng {
  assertRealTimeAllowed('createCryptoRng()');
  return new CryptoRng('crypto');
}
