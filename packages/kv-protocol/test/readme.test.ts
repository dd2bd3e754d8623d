import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runReadmeExample } from '../../../scripts/test-support/readme-example.js';

it('the README example runs as written', async () => {
  const logs = await runReadmeExample(join(import.meta.dirname, '..'));
  expect(logs).toEqual([
    ['KVServer', 'Get,Put,Append,Execute,Status'],
    [undefined],
    ['seq must be an integer ≥ 1'],
    [false],
    ['ErrEmptyKey', { code: 3, message: 'etcdserver: key is not provided', httpStatus: 400 }],
  ]);
});
