import { fail } from './fail.js';

/** The value client `clnt` appends as its j-th element. */
export function appendElement(clnt: number, j: number): string {
  return `x ${clnt} ${j} y`;
}

/**
 * Lab `checkClntAppends`: each of client `clnt`'s first `count` elements appears in `v`
 * exactly once, at strictly increasing offsets.
 */
export function checkClntAppends(clnt: number, v: string, count: number): void {
  let lastOff = -1;
  for (let j = 0; j < count; j++) {
    const wanted = appendElement(clnt, j);
    const off = v.indexOf(wanted);
    if (off < 0) {
      fail('missing-element', `${clnt} missing element ${wanted} in Append result ${v}`);
    }
    if (v.lastIndexOf(wanted) !== off) {
      fail('duplicate-element', `duplicate element ${wanted} in Append result ${v}`);
    }
    if (off <= lastOff) {
      fail('wrong-order', `wrong order for element ${wanted} in Append result ${v}`);
    }
    lastOff = off;
  }
}

/** Lab `checkConcurrentAppends`: `checkClntAppends(i, v, counts[i])` for every client i. */
export function checkConcurrentAppends(v: string, counts: readonly number[]): void {
  for (const [i, count] of counts.entries()) checkClntAppends(i, v, count);
}
