import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runReadmeExample } from '../../../scripts/test-support/readme-example.js';

it('the README example runs as written', async () => {
  const logs = await runReadmeExample(join(import.meta.dirname, '..'));
  expect(logs).toEqual([[1, 1, [['hello'], ['hello'], ['hello']]]]);
});
