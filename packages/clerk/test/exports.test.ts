import { expect, it } from 'vitest';
import * as api from '../src/index.js';

it('exports exactly the public surface', () => {
  expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
    [
      "Clerk",
      "ClerkAbortedError",
      "ClientIdInUseError",
      "KvBadRequestError",
      "KvRequestError",
    ]
  `);
});
