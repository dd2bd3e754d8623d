import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { InvalidArgumentError } from '@raftkit/core';
import type { Rng } from '@raftkit/core';

type Generator = ReturnType<typeof xoroshiro128plus>;

/** 32-bit FNV-1a of a string; used to derive child seeds from (seed, name). */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A deterministic stream (xoroshiro128+ from pure-rand) identified by a seed path. */
class SeededRng implements Rng {
  private readonly gen: Generator;

  constructor(readonly seed: string) {
    this.gen = xoroshiro128plus(fnv1a(seed) | 0);
    // Discard a few outputs: xoroshiro's first draws from nearby seeds correlate.
    for (let i = 0; i < 4; i++) this.gen.next();
  }

  int(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max) {
      throw new InvalidArgumentError({
        argument: 'min/max',
        message: `rng.int needs safe integers with min ≤ max, got [${min}, ${max}]`,
      });
    }
    return uniformInt(this.gen, min, max);
  }

  float(): number {
    // 53 random bits → [0, 1).
    const hi = uniformInt(this.gen, 0, (1 << 26) - 1);
    const lo = uniformInt(this.gen, 0, (1 << 27) - 1);
    return (hi * 134217728 + lo) / 9007199254740992;
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
    return new SeededRng(`${this.seed}/${name}`);
  }
}

/** A seeded rng: the same seed gives the same draws on every machine. */
export function createSeededRng(seed: number | string): Rng {
  if (typeof seed === 'number' && !Number.isSafeInteger(seed)) {
    throw new InvalidArgumentError({
      argument: 'seed',
      message: `seed must be a safe integer or a string, got ${seed}`,
    });
  }
  return new SeededRng(String(seed));
}
