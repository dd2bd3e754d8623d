import { expect, it } from 'vitest';
import { runReadmeExample } from '../../../scripts/test-support/readme-example.js';

it('the README example runs as documented', async () => {
  const logs = await runReadmeExample(new URL('..', import.meta.url).pathname);
  expect(logs).toEqual([[1, 1, [['hello'], ['hello'], ['hello']]], [['hello', 'world']]]);
});
