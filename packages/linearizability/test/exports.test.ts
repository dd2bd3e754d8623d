import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';

describe('public surface', () => {
  it('exports exactly these names from "."', () => {
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "ILLEGAL",
        "InvalidArgumentError",
        "InvalidHistoryError",
        "RaftkitError",
        "WorkerError",
        "builtinModels",
        "checkEvents",
        "checkEventsAsync",
        "checkOperations",
        "checkOperationsAsync",
        "checkOperationsParallel",
        "etcdKvModel",
        "etcdKvNamespace",
        "etcdModel",
        "eventsToOperations",
        "hashString",
        "hashValue",
        "kvModel",
        "makeRegisterModel",
        "parseHistoryJson",
        "parseJepsenLog",
        "parseKvLog",
        "registerModel",
        "renderVisualization",
      ]
    `);
  });
});
