import { describe, expect, it } from 'vitest';
import { budgetChosen } from '../src/serve/jit-tiering.js';

describe('serve lowers V8 interrupt budget unless the operator chose one', () => {
  it.each([
    [[], undefined, false],
    [['--max-old-space-size=512'], '--enable-source-maps', false],
    [['--interrupt-budget=100000'], undefined, true],
    [['--interrupt_budget=100000'], undefined, true],
    [[], '--max-old-space-size=512 --interrupt-budget=1000', true],
    [[], '--interrupt-budget-for-feedback-allocation=100', false],
  ] as const)('execArgv %j, NODE_OPTIONS %j: chosen %s', (argv, options, want) => {
    expect(budgetChosen(argv, options)).toBe(want);
  });
});
