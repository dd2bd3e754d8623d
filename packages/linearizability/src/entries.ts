/**
 * The time-ordered list of call and return entries of one partition, as the search walks it.
 * Entry k is the k-th event in time order. On equal times, calls sort before returns (so
 * operations that touch are concurrent); an unknown return (null) sorts after every other event.
 */
export interface EntryList {
  /** Number of operations; there are 2n entries. */
  readonly n: number;
  /** opOf[k]: the operation of entry k. */
  readonly opOf: Int32Array;
  /** match[k]: for a call entry, the index of its return entry; -1 for a return entry. */
  readonly match: Int32Array;
  /**
   * slot[op]: the operation's position in the linearized-set encoding: operations that return
   * are numbered 0..mainSlots-1 in call order, those with an unknown return follow.
   */
  readonly slot: Int32Array;
  /** Operations that return (the main slots). */
  readonly mainSlots: number;
}

export function buildEntries(
  calls: ArrayLike<number>,
  returns: ArrayLike<number | null>,
): EntryList {
  const n = calls.length;
  const codes: number[] = new Array(2 * n);
  const times = new Float64Array(2 * n);
  for (let op = 0; op < n; op++) {
    codes[2 * op] = 2 * op;
    codes[2 * op + 1] = 2 * op + 1;
    times[2 * op] = calls[op]!;
    const r = returns[op];
    times[2 * op + 1] = r === null || r === undefined ? Number.POSITIVE_INFINITY : r;
  }
  // code = 2*op + kind (0 call, 1 return): ties on time order calls first, then by operation.
  codes.sort((a, b) => {
    const d = times[a]! - times[b]!;
    if (d !== 0 && !Number.isNaN(d)) return d;
    const kind = (a & 1) - (b & 1);
    return kind !== 0 ? kind : a - b;
  });
  const opOf = new Int32Array(2 * n);
  const match = new Int32Array(2 * n).fill(-1);
  const returnIndex = new Int32Array(n);
  for (let k = 0; k < 2 * n; k++) {
    const code = codes[k]!;
    opOf[k] = code >> 1;
    if (code & 1) returnIndex[code >> 1] = k;
  }
  const slot = new Int32Array(n);
  let mainSlots = 0;
  for (let k = 0; k < 2 * n; k++) {
    if ((codes[k]! & 1) === 0) {
      const op = opOf[k]!;
      match[k] = returnIndex[op]!;
      if (times[2 * op + 1] !== Number.POSITIVE_INFINITY) slot[op] = mainSlots++;
    }
  }
  let openSlot = mainSlots;
  for (let k = 0; k < 2 * n; k++) {
    const code = codes[k]!;
    if ((code & 1) === 0 && times[code + 1] === Number.POSITIVE_INFINITY)
      slot[code >> 1] = openSlot++;
  }
  return { n, opOf, match, slot, mainSlots };
}
