import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';

describe('public surface', () => {
  it('exports exactly these names from "."', () => {
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "HistoryJsonStream",
        "ILLEGAL",
        "InvalidArgumentError",
        "InvalidHistoryError",
        "KvLogReader",
        "RaftkitError",
        "WorkerError",
        "builtinModels",
        "checkEvents",
        "checkEventsAsync",
        "checkOperations",
        "checkOperationsAsync",
        "checkOperationsParallel",
        "defaultMemoryBudget",
        "etcdKvModel",
        "etcdKvNamespace",
        "etcdModel",
        "eventsToOperations",
        "fromNondeterministic",
        "hashString",
        "hashValue",
        "kvModel",
        "makeRegisterModel",
        "parseAnnotations",
        "parseHistoryJson",
        "parseJepsenLog",
        "parseKvLog",
        "partialLinearizationOf",
        "registerModel",
        "renderVisualization",
      ]
    `);
  });
});
