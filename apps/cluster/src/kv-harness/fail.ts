import { LabTestFailure } from '../lab/lab-test.js';

/**
 * Fails the current kv test (the lab's `t.Fatalf`) with the tester's shared failure type.
 * `check` names what failed (`get-wrong-value`, `not-linearizable`, …) and leads the message.
 */
export function fail(check: string, message: string): never {
  throw new LabTestFailure(`${check}: ${message}`);
}
