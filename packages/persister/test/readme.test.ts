import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runReadmeExample } from '../../../scripts/test-support/readme-example.js';

it('the README example runs as written', async () => {
  const logs = await runReadmeExample(join(import.meta.dirname, '..'));
  expect(logs[0]?.[0]).toMatchObject({
    hardState: { term: 1, votedFor: 0 },
    snapshotMeta: { index: 1, term: 1 },
    entries: [{ term: 1, command: 'y=2' }],
  });
  expect(logs[1]).toEqual([true, 1]);
});
