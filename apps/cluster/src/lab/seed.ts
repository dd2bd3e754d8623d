/** 32-bit FNV-1a; derives a stable default seed from a test name. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The seed a lab test runs with: env SEED when set (a number), a fresh
 * random one when SEED=random, else one derived from the test's name (so a
 * plain run is reproducible). The one rule for every runner (CLI, sweep,
 * vitest): the name is taken without its "Test" prefix, so `TestBasic4A` and
 * `Basic4A` get the same seed. Always printed with the result.
 */
export function seedFor(testName: string, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SEED;
  const bare = testName.startsWith('Test') ? testName.slice(4) : testName;
  if (raw === undefined || raw === '') return fnv1a(bare);
  if (raw === 'random') return Math.floor(Math.random() * 2 ** 31);
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new Error(`SEED must be a non-negative integer or "random", got "${raw}"`);
  }
  return n;
}
