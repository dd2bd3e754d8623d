import { expect, it } from 'vitest';
import * as api from '../src/index.js';

it('exports exactly the public surface', () => {
  expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
    [
      "CompareResult",
      "CompareTarget",
      "DEFAULT_REQUEST_LIMITS",
      "GrpcCode",
      "KV_ERRORS",
      "MAX_CLIENT_ID_LENGTH",
      "MAX_DURATION_MS",
      "MAX_TXN_DEPTH",
      "MAX_TXN_OPS",
      "SortOrder",
      "SortTarget",
      "byteLength",
      "bytesProblem",
      "clientIdProblem",
      "compareBytes",
      "decodeUtf8",
      "etcdError",
      "etcdProblem",
      "executeProblem",
      "httpStatusOf",
      "isReadOnly",
      "isSerializable",
      "isWellFormed",
      "kvRequestProblem",
      "kvService",
      "prefixRangeEnd",
      "requestProblem",
      "toBytes",
      "utf8Length",
    ]
  `);
});
