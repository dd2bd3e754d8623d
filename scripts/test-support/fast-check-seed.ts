import { basename } from 'node:path';
import { beforeAll, expect } from 'vitest';

/** The part of fast-check's API this helper needs (each package passes its own copy). */
interface FastCheckGlobal {
  configureGlobal(parameters: { seed: number }): void;
}

/** 32-bit FNV-1a: the same rule the tester uses to derive default seeds from names. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Seeds every fast-check property of a test file: env SEED when set (a number, or "random"
 * for a fresh one), else a seed derived from the file's name, so that a plain run is
 * reproducible and its verdict a function of the seed. Prints the seed and the replay
 * command. Call it from the package's vitest setup file.
 */
export function seedFastCheck(fc: FastCheckGlobal): void {
  beforeAll(() => {
    const file = expect.getState().testPath ?? 'unknown';
    const raw = process.env.SEED;
    let seed: number;
    if (raw === undefined || raw === '') seed = fnv1a(basename(file)) >>> 1;
    else if (raw === 'random') seed = (Math.random() * 2 ** 31) | 0;
    else {
      seed = Number(raw);
      if (!Number.isSafeInteger(seed))
        throw new Error(`SEED must be an integer or "random", got "${raw}"`);
    }
    fc.configureGlobal({ seed });
    console.log(
      `fast-check seed=${seed} for ${basename(file)} (replay: SEED=${seed} npx vitest run ${basename(file)})`,
    );
  });
}
