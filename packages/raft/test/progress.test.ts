import { describe, expect, it } from 'vitest';
import { Progress } from '../src/core/progress.js';

describe('Progress', () => {
  it('probe sends one message at a time', () => {
    const p = new Progress(5);
    expect(p.canSendEntries(4)).toBe(true);
    p.sentEntries(5, 7, 0);
    expect(p.canSendEntries(4)).toBe(false);
    expect(p.next).toBe(5); // probing does not move next optimistically
  });

  it('replicate streams within the window and frees it on acks', () => {
    const p = new Progress(1);
    p.maybeUpdate(0);
    p.becomeReplicate();
    p.sentEntries(1, 3, 0);
    p.sentEntries(4, 5, 1);
    expect(p.next).toBe(6);
    expect(p.canSendEntries(2)).toBe(false);
    expect(p.maybeUpdate(3)).toBe(true);
    expect(p.canSendEntries(2)).toBe(true);
    expect(p.staleWindow(100, 50)).toEqual({ first: 4, last: 5, sentAt: 1 });
    expect(p.staleWindow(40, 50)).toBeUndefined();
  });

  it('tells an overtaken append from a real rejection', () => {
    const p = new Progress(1);
    p.becomeReplicate();
    p.sentEntries(1, 4, 0);
    p.sentEntries(5, 8, 0);
    // An append with prevLogIndex 4 rejected while 1..4 is still unacknowledged: overtaken.
    expect(p.hasWindowUpTo(4)).toBe(true);
    expect(p.hasWindowUpTo(3)).toBe(false);
    p.maybeUpdate(4);
    expect(p.hasWindowUpTo(4)).toBe(false);
    expect(p.window(8)).toEqual({ first: 5, last: 8, sentAt: 0 });
  });

  it('keeps match < next across transitions', () => {
    const p = new Progress(10);
    p.maybeUpdate(12);
    expect(p.next).toBe(13);
    p.becomeProbeAt(4);
    expect(p.next).toBe(13);
    p.becomeSnapshot(20, 0);
    expect(p.canSendEntries(8)).toBe(false);
    p.maybeUpdate(20);
    p.becomeReplicate();
    expect(p.match).toBe(20);
    expect(p.next).toBe(21);
    p.becomeProbe();
    expect(p.next).toBe(21);
  });
});
