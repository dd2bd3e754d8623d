import { InvalidArgumentError, type Rng } from '@raftkit/core';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

type Generator = ReturnType<typeof xoroshiro128plus>;

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A seeded rng (xoroshiro128+ from pure-rand) for the real-process tools (bench, torture): the
 * seed fixes their choices (keys, fault schedule), not the timing of real processes.
 * (@raftkit/labrpc has the same for simulations; production code must not depend on it.)
 */
class ToolRng implements Rng {
  private readonly gen: Generator;

  constructor(readonly seed: string) {
    this.gen = xoroshiro128plus(fnv1a(seed) | 0);
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
    return new ToolRng(`${this.seed}/${name}`);
  }
}

/** A seeded rng: the same seed gives the same draws on every machine. */
export function createToolRng(seed: number | string): Rng {
  return new ToolRng(String(seed));
}
