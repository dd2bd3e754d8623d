import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runReadmeExample } from '../../../scripts/test-support/readme-example.js';

it('the key/value README example (servers + clerk) runs as written', async () => {
  const logs = await runReadmeExample(join(import.meta.dirname, '../../kvserver'));
  expect(logs).toEqual([['hello, world']]);
});

it('the clerk README example runs as written', async () => {
  const logs = await runReadmeExample(join(import.meta.dirname, '..'));
  expect(logs).toEqual([['config/a,config/b'], [true, '10']]);
});
