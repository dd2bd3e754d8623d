#!/usr/bin/env node
// Determinism lint: package sources must take time and randomness only from the injected
// Clock and Rng (docs/ARCHITECTURE.md, "Determinism"). Forbids `Date`,
// `performance.now`, `Math.random` and the global timers in packages/*/src, except where
// ALLOWED says why. A single line may opt out with a trailing `// determinism-ok: <reason>`.
// Usage: node scripts/lint-determinism.mjs [root]   (exit 1 and a list when something is found)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const root = process.argv[2] ?? join(import.meta.dirname, '..');

const RULES = [
  { name: 'Date', pattern: /\bDate\b/, use: 'the injected Clock' },
  {
    name: 'performance.now',
    pattern: /\bperformance\s*\.\s*(now|timeOrigin)\b/,
    use: 'the injected Clock',
  },
  { name: 'Math.random', pattern: /\bMath\s*\.\s*random\b/, use: 'the injected Rng' },
  {
    name: 'global timers',
    pattern: /\b(setTimeout|setInterval|setImmediate|clearTimeout|clearInterval|clearImmediate)\b/,
    use: 'Clock.setTimer / Clock.sleep',
  },
];

/** Files (relative, '/'-separated prefixes) that may use some of the above, and why. */
const ALLOWED = [
  {
    prefix: 'packages/core/src/real-clock.ts',
    rules: ['performance.now', 'global timers'],
    why: 'the real clock itself',
  },
  {
    prefix: 'packages/linearizability/src/',
    rules: ['performance.now', 'global timers'],
    why: 'the checker never runs inside a simulation; its optional time limits and elapsed-time reports are wall-clock by design (the tester bounds it with maxSteps)',
  },
];

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) yield path;
  }
}

/** Blanks comments and string contents (keeping line structure) so that only code is matched. */
function codeOnly(text) {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const d = text[i + 1];
    if (c === '/' && d === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && d === '*') {
      i += 2;
      while (i < text.length && !(text[i] === '*' && text[i + 1] === '/'))
        out += text[i++] === '\n' ? '\n' : '';
      i += 2;
    } else if (c === "'" || c === '"' || c === '`') {
      out += c;
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\') i++;
        else if (text[i] === '\n') out += '\n';
        i++;
      }
      out += c;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const problems = [];
const packages = join(root, 'packages');
for (const pkg of readdirSync(packages)) {
  const src = join(packages, pkg, 'src');
  try {
    statSync(src);
  } catch {
    continue;
  }
  for (const file of files(src)) {
    const rel = relative(root, file).split(sep).join('/');
    const text = readFileSync(file, 'utf8');
    const raw = text.split('\n');
    const code = codeOnly(text).split('\n');
    code.forEach((line, n) => {
      if (/determinism-ok:\s*\S/.test(raw[n] ?? '')) return;
      for (const rule of RULES) {
        if (!rule.pattern.test(line)) continue;
        if (ALLOWED.some((a) => rel.startsWith(a.prefix) && a.rules.includes(rule.name))) continue;
        problems.push(
          `${rel}:${n + 1}: ${rule.name} in package code; use ${rule.use} (or end the line with "// determinism-ok: <reason>")`,
        );
      }
    });
  }
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error(
    `\n${problems.length} determinism problem(s): see docs/ARCHITECTURE.md, "Determinism".`,
  );
  process.exit(1);
}
console.log(
  'determinism lint: no Date, performance.now, Math.random or global timers in package sources',
);
