import { describe, expect, it } from 'vitest';
import { MAX_CLIENT_ID_LENGTH, requestProblem } from '../src/index.js';

const limits = { maxKeyLength: 8, maxValueLength: 16 };
const ok = { clientId: 'c', seq: 1, key: 'k', value: 'v' };

describe('requestProblem', () => {
  it('accepts a well-formed Get and Put', () => {
    expect(requestProblem({ clientId: 'c', seq: 1, key: 'k' }, false, limits)).toBeUndefined();
    expect(requestProblem(ok, true, limits)).toBeUndefined();
  });

  it.each([
    [null, /object/],
    ['text', /object/],
    [{ ...ok, clientId: '' }, /clientId/],
    [{ ...ok, clientId: 'x'.repeat(MAX_CLIENT_ID_LENGTH + 1) }, /clientId/],
    [{ ...ok, seq: 0 }, /seq/],
    [{ ...ok, seq: 1.5 }, /seq/],
    [{ ...ok, key: 7 }, /key must be a string/],
    [{ ...ok, key: 'x'.repeat(9) }, /limit is 8/],
    [{ ...ok, value: 3 }, /value must be a string/],
    [{ ...ok, value: 'x'.repeat(17) }, /limit is 16/],
  ])('names what is wrong with %j', (request, problem) => {
    expect(requestProblem(request, true, limits)).toMatch(problem);
  });
});
