import { expect, it } from 'vitest';
import * as api from '../src/index.js';

it('exports exactly the public surface', () => {
  expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
    [
      "InvalidArgumentError",
      "RaftkitError",
      "RealClock",
      "RealTimeInSimulationError",
      "RpcServer",
      "UnknownMethodError",
      "assertNonNegative",
      "assertRealTimeAllowed",
      "createCryptoRng",
      "defineService",
      "enterSimulation",
      "noopLogger",
      "serviceClient",
      "simulationRunning",
    ]
  `);
});
