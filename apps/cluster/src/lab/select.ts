import { allLabTests, findLabTest } from './registry.js';
import type { LabTest } from './lab-test.js';

/** A selection the user asked for that names no test, or a test or part that does not exist. */
export class SelectionError extends Error {
  override name = 'SelectionError';
}

/** Every part the registry has, in registry order ("3A" … "4B", "dedup"). */
export function knownParts(): string[] {
  return [...new Set(allLabTests.map((t) => t.part))];
}

/**
 * The tests named by `names` (with or without the "Test" prefix), else every
 * lab test (the swarm tests only when their part is named), then narrowed to `parts` (case-insensitive). Unknown names or parts
 * throw a `SelectionError` listing the valid ones; a selection that leaves no
 * test throws too, so a command never "succeeds" having run nothing.
 */
export function selectTests(names: readonly string[], parts: readonly string[]): LabTest[] {
  const unknown = names.filter((n) => findLabTest(n) === undefined);
  if (unknown.length > 0) {
    throw new SelectionError(
      `unknown test${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}; valid tests:\n  ${allLabTests.map((t) => `Test${t.name}`).join('\n  ')}`,
    );
  }
  const valid = knownParts();
  const wanted = parts.map((p) => valid.find((v) => v.toLowerCase() === p.toLowerCase()) ?? p);
  const badParts = wanted.filter((p) => !valid.includes(p));
  if (badParts.length > 0) {
    throw new SelectionError(
      `unknown part${badParts.length > 1 ? 's' : ''} ${badParts.map((p) => `"${p}"`).join(', ')}; valid parts: ${valid.join(', ')}`,
    );
  }
  // The swarm tests draw their own faults per seed; they run only when named (or by part).
  let tests =
    names.length > 0
      ? names.map((n) => findLabTest(n) as LabTest)
      : allLabTests.filter((t) => t.part !== 'swarm' || wanted.includes('swarm'));
  if (wanted.length > 0) tests = tests.filter((t) => wanted.includes(t.part));
  if (tests.length === 0) {
    throw new SelectionError(
      `no test is in part${wanted.length > 1 ? 's' : ''} ${wanted.join(', ')} among ${names.join(', ')}`,
    );
  }
  return tests;
}
