import { describe, expect, it } from 'vitest';
import { WalCorruptionError } from '../src/index.js';
import {
  COMMIT_BYTES,
  encodeSet,
  findCommitAfter,
  NO_SNAPSHOT,
  parseSetAt,
  scanSegment,
} from '../src/wal/format.js';
import { segmentName } from '../src/wal/names.js';
import { planRecovery } from '../src/wal/recover.js';

// Pure tests of the recovery rule for preallocated space: zeros after a segment's last
// complete set are not a torn tail. No randomness.

const DIR = '/data';
const hard = { term: 1, votedFor: 0 };
const entry = (i: number) => Uint8Array.from({ length: 6 }, (_, k) => (i * 31 + k + 1) & 255);

const header = (seq: number, firstIndex: number) =>
  encodeSet({ header: { seq, firstIndex, hardState: hard, snapshot: NO_SNAPSHOT } });
const appendSet = (first: number, n: number) =>
  encodeSet({
    append: { firstIndex: first, entries: Array.from({ length: n }, (_, k) => entry(first + k)) },
  });
const zeros = (n: number) => new Uint8Array(n);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const recover = (files: [string, Uint8Array][]) =>
  planRecovery(
    DIR,
    files.map(([n]) => n),
    new Map(files),
  );
const corruption = (files: [string, Uint8Array][]): WalCorruptionError => {
  try {
    recover(files);
  } catch (error) {
    if (WalCorruptionError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('recovery accepted the segments');
};

const SEG1 = segmentName(1, 1);
const SEG2 = segmentName(2, 4);

describe('zeros never parse as a record set', () => {
  it('a zero-filled range of any length holds no set and no commit', () => {
    for (let n = 0; n <= 80; n++) {
      const z = zeros(n);
      expect(parseSetAt(z, 0).ok).toBe(false);
      expect(scanSegment(z).sets).toEqual([]);
      expect(findCommitAfter(z, 0)).toBeUndefined();
    }
  });

  it('a commit record whose length and CRC were left zero (torn over zeros) is not an empty set', () => {
    // The CRC-32 of no bytes is 0: with setLength 0 this would verify, were empty sets allowed.
    const commit = appendSet(1, 1).subarray(-COMMIT_BYTES);
    const torn = concat(commit.subarray(0, 9), zeros(8));
    const r = parseSetAt(torn, 0);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.failure.reason).toMatch(/no record before it/);
    expect(findCommitAfter(torn, 0)).toBeUndefined();
    expect(() => encodeSet({})).toThrow(/at least one record/);
  });

  it('every torn prefix of a group written over zeros recovers the complete sets, never more, never refused', () => {
    const base = concat(header(1, 1), appendSet(1, 1));
    const a = appendSet(2, 2);
    const b = appendSet(4, 1);
    const group = concat(a, b);
    for (let t = 0; t <= group.length; t++) {
      const bytes = concat(base, group.subarray(0, t), zeros(64));
      const plan = recover([[SEG1, bytes]]);
      const complete = t >= group.length ? 4 : t >= a.length ? 3 : 1;
      expect(plan.entries.length, `torn at ${t}`).toBe(complete);
      const end =
        complete === 4
          ? base.length + group.length
          : complete === 3
            ? base.length + a.length
            : base.length;
      expect(plan.segments[0]!.size).toBe(end);
      const tail = bytes.subarray(end);
      if (tail.every((x) => x === 0)) {
        // Only zeros after the last set (nothing written, or written bytes that were zeros).
        expect(plan.repairs).toEqual([]);
        expect(plan.segments[0]!.fileSize).toBe(bytes.length);
      } else {
        expect(plan.repairs).toHaveLength(1);
        const cut = plan.repairs[0]!;
        expect(cut).toMatchObject({ kind: 'cut', file: SEG1, offset: end });
        // The .broken bytes are the torn ones, without the zeros after them.
        const kept = cut.kind === 'cut' ? cut.bytes : zeros(0);
        expect(kept.length).toBeGreaterThan(0);
        expect(kept[kept.length - 1]).not.toBe(0);
        expect([...kept]).toEqual([
          ...group.subarray(end - base.length, end - base.length + kept.length),
        ]);
        expect(plan.segments[0]!.fileSize).toBe(end);
      }
    }
  });
});

describe('planRecovery with preallocated space', () => {
  it('a zero tail in the last segment: no repair, size is the logical end, fileSize the file length', () => {
    const log = concat(header(1, 1), appendSet(1, 3));
    const plan = recover([[SEG1, concat(log, zeros(500))]]);
    expect(plan.repairs).toEqual([]);
    expect(plan.entries.map((e) => e[0])).toEqual([entry(1)[0], entry(2)[0], entry(3)[0]]);
    expect(plan.segments).toMatchObject([
      { name: SEG1, size: log.length, fileSize: log.length + 500 },
    ]);
  });

  it('a zero tail in a middle segment is accepted', () => {
    const first = concat(header(1, 1), appendSet(1, 3));
    const second = concat(header(2, 4), appendSet(4, 2));
    const plan = recover([
      [SEG1, concat(first, zeros(300))],
      [SEG2, concat(second, zeros(10))],
    ]);
    expect(plan.repairs).toEqual([]);
    expect(plan.entries).toHaveLength(5);
    expect(plan.segments.map((s) => [s.size, s.fileSize])).toEqual([
      [first.length, first.length + 300],
      [second.length, second.length + 10],
    ]);
  });

  it('a last segment of zeros only (its header never reached the disk) is dropped without a .broken file', () => {
    const first = concat(header(1, 1), appendSet(1, 3));
    const plan = recover([
      [SEG1, first],
      [SEG2, zeros(200)],
    ]);
    expect(plan.repairs).toEqual([
      { kind: 'drop', file: SEG2, broken: undefined, bytes: zeros(0) },
    ]);
    expect(plan.entries).toHaveLength(3);
  });

  it('zeros then a valid set: corruption naming the file and the offset where the zeros start (last and middle segment)', () => {
    const log = concat(header(1, 1), appendSet(1, 1));
    const bytes = concat(log, zeros(40), appendSet(2, 1), zeros(30));
    const last = corruption([[SEG1, bytes]]);
    expect(last.file).toBe(`${DIR}/${SEG1}`);
    expect(last.offset).toBe(log.length);
    expect(last.message).toMatch(/a valid record set follows at offset/);
    const middle = corruption([
      [SEG1, bytes],
      [SEG2, header(2, 2)],
    ]);
    expect(middle.file).toBe(`${DIR}/${SEG1}`);
    expect(middle.offset).toBe(log.length);
    expect(middle.message).toMatch(/not the last one/);
  });

  it('non-zero bytes after the zeros of a middle segment: corruption', () => {
    const log = concat(header(1, 1), appendSet(1, 3));
    const bytes = concat(log, zeros(40), Uint8Array.of(7), zeros(40));
    const error = corruption([
      [SEG1, bytes],
      [SEG2, header(2, 4)],
    ]);
    expect(error.file).toBe(`${DIR}/${SEG1}`);
    expect(error.offset).toBe(log.length);
  });

  it('a torn set followed by zeros in the last segment is cut, keeping the torn bytes without the zeros', () => {
    const log = concat(header(1, 1), appendSet(1, 3));
    const next = appendSet(4, 2);
    const torn = next.subarray(0, next.length - 6);
    const plan = recover([[SEG1, concat(log, torn, zeros(200))]]);
    expect(plan.entries).toHaveLength(3);
    expect(plan.repairs).toEqual([
      {
        kind: 'cut',
        file: SEG1,
        offset: log.length,
        broken: expect.stringMatching(/\.broken$/),
        bytes: expect.any(Uint8Array),
      },
    ]);
    const kept = plan.repairs[0]!.kind === 'cut' ? plan.repairs[0]!.bytes : zeros(0);
    let end = torn.length;
    while (torn[end - 1] === 0) end--;
    expect([...kept]).toEqual([...torn.subarray(0, end)]);
    expect(plan.segments[0]).toMatchObject({ size: log.length, fileSize: log.length });
  });
});
