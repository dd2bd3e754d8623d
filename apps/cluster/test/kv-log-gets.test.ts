import { describe, test } from 'vitest';
import { kvLab4A, kvLab4B } from '../src/kv-harness/lab-tests.js';
import { kvTestTimeout, runKvTest } from '../src/kv-harness/run.js';

// The same 23 lab tests with Gets through the Raft log (the lab's way) instead of
// ReadIndex: both read paths must pass everything. This file runs in its own
// process (vitest forks), so the setting stays here.
process.env.RAFTKIT_KV_GET_MODE = 'log';

describe('Gets through the log', () => {
  for (const lab of [...kvLab4A, ...kvLab4B]) {
    test(`Test${lab.name}`, () => runKvTest(lab), kvTestTimeout());
  }
});
