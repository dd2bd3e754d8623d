import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScriptEnv } from './datadriven/env.js';
import { handlers } from './datadriven/handlers/index.js';
import { type Block, parseScript, renderScript } from './datadriven/parse.js';

/**
 * Runs every scenario script in test/scripts: each command's output must be
 * exactly what the script says. REWRITE=1 writes the actual output back into
 * the scripts instead (review the diff).
 */
const dir = join(import.meta.dirname, 'scripts');
const rewrite = process.env.REWRITE === '1';

describe('scenario scripts', () => {
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()) {
    it(file, () => {
      const text = readFileSync(join(dir, file), 'utf8');
      const { blocks, pieces } = parseScript(text);
      const env = new ScriptEnv();
      const actual = new Map<Block, string>();
      for (const b of blocks) {
        const handler = handlers[b.command];
        if (handler === undefined)
          throw new Error(`${file}:${b.line}: unknown command "${b.command}"`);
        env.out = [];
        try {
          handler(env, b.args);
        } catch (error) {
          env.print(`error: ${(error as Error).message}`);
        }
        const got = env.out.length === 0 ? 'ok' : env.out.join('\n');
        actual.set(b, got);
        if (!rewrite) expect(got, `${file}:${b.line}: ${b.raw}`).toBe(b.expected);
      }
      if (rewrite) writeFileSync(join(dir, file), renderScript(pieces, actual));
    });
  }
});
