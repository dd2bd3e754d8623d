import { expect, it } from 'vitest';
import * as api from '../src/index.js';
import * as testing from '../src/testing/index.js';

it('exports exactly the public surface', () => {
  expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
    [
      "KvGateway",
      "KvServer",
      "KvStateMachine",
      "clusterIdOf",
      "defaultMembers",
    ]
  `);
});

it('./testing exports exactly these names', () => {
  expect(Object.keys(testing).sort()).toMatchInlineSnapshot(`
    [
      "SimKvGroup",
      "simKvGroup",
    ]
  `);
});
