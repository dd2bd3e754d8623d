import { describe, expect, it } from 'vitest';
import { RaftLog } from '../src/core/log.js';

const e = (term: number, command: unknown = term) => ({ term, command });

describe('RaftLog', () => {
  it('indexes entries from 1 above the snapshot', () => {
    const log = new RaftLog(0, 0, [e(1), e(1), e(2)]);
    expect(log.lastIndex()).toBe(3);
    expect(log.lastTerm()).toBe(2);
    expect(log.term(0)).toBe(0);
    expect(log.term(3)).toBe(2);
    expect(log.term(4)).toBeUndefined();
    expect(log.slice(2, 3).map((x) => x.term)).toEqual([1, 2]);
  });

  it('compacts a prefix and keeps the snapshot term', () => {
    const log = new RaftLog(0, 0, [e(1), e(1), e(2), e(3)]);
    log.compactTo(3);
    expect(log.snapshotIndex).toBe(3);
    expect(log.snapshotTerm).toBe(2);
    expect(log.term(2)).toBeUndefined();
    expect(log.term(3)).toBe(2);
    expect(log.lastIndex()).toBe(4);
    expect(log.entry(4).term).toBe(3);
    expect(log.slice(1, 4).length).toBe(1);
  });

  it('truncates a suffix', () => {
    const log = new RaftLog(2, 1, [e(1), e(2), e(2)]);
    log.truncateFrom(4);
    expect(log.lastIndex()).toBe(3);
    expect(log.lastTerm()).toBe(1);
  });

  it('finds term runs for the accelerated backup', () => {
    const log = new RaftLog(1, 1, [e(1), e(4), e(4), e(4), e(5), e(6)]);
    // indices: 2:1 3:4 4:4 5:4 6:5 7:6
    expect(log.firstIndexOfTermRun(5)).toBe(3);
    expect(log.firstIndexOfTermRun(2)).toBe(2);
    expect(log.lastIndexOfTerm(4, 7)).toBe(5);
    expect(log.lastIndexOfTerm(4, 4)).toBe(4);
    expect(log.lastIndexOfTerm(3, 7)).toBe(-1);
    expect(log.lastIndexOfTerm(1, 7)).toBe(2);
  });

  it('compares logs by last term, then length (§5.4.1)', () => {
    const log = new RaftLog(0, 0, [e(1), e(2)]);
    expect(log.isUpToDate(2, 2)).toBe(true);
    expect(log.isUpToDate(1, 2)).toBe(false);
    expect(log.isUpToDate(1, 3)).toBe(true);
    expect(log.isUpToDate(5, 1)).toBe(false);
  });
});
