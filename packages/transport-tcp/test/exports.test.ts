import { expect, it } from 'vitest';
import * as api from '../src/index.js';

it('exports exactly the public surface', () => {
  expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
    [
      "FAULT_LOST_MAX_MS",
      "InsecureBindError",
      "ListenError",
      "TcpFaults",
      "TcpTransport",
      "UnknownPeerError",
      "backoffDelay",
      "createTcpTransport",
      "defaultLimits",
      "isLoopback",
    ]
  `);
});
