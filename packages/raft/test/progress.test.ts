import { describe, expect, it } from 'vitest';
import { Progress } from '../src/core/progress.js';

describe('Progress', () => {
  it('probe sends one message at a time', () => {
    const p = new Progress(5);
    expect(p.canSendEntries(4)).toBe(true);
    p.sentEntries(7, 0);
    expect(p.canSendEntries(4)).toBe(false);
    expect(p.next).toBe(5); // probing does not move next optimistically
  });

  it('replicate streams within the window and frees it on acks', () => {
    const p = new Progress(1);
    p.maybeUpdate(0);
    p.becomeReplicate();
    p.sentEntries(3, 0);
    p.sentEntries(5, 1);
    expect(p.next).toBe(6);
    expect(p.canSendEntries(2)).toBe(false);
    expect(p.maybeUpdate(3)).toBe(true);
    expect(p.canSendEntries(2)).toBe(true);
    expect(p.hasStaleInflight(100, 50)).toBe(true);
    expect(p.hasStaleInflight(40, 50)).toBe(false);
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
