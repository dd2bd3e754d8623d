import { describe, expect, it } from 'vitest';
import { InlineWritePolicy } from '../src/index.js';

describe('InlineWritePolicy: durable writes inline only while the disk is fast', () => {
  it('starts inline and stays while writes are fast', () => {
    const p = new InlineWritePolicy();
    for (let i = 0; i < 100; i++) p.record(0.08);
    expect(p.inline).toBe(true);
    expect(p.mean).toBeCloseTo(0.08, 2);
  });

  it('leaves on one stall, however fast the mean', () => {
    const p = new InlineWritePolicy();
    for (let i = 0; i < 50; i++) p.record(0.05);
    p.record(12);
    expect(p.inline).toBe(false);
  });

  it('leaves once the mean exceeds leaveInlineMs, and comes back under enterInlineMs', () => {
    const q = new InlineWritePolicy(0.5, 1, 10, 0.5);
    q.record(1.5); // mean 0.75: still inline
    expect(q.inline).toBe(true);
    q.record(1.5); // mean 1.125 > 1: leaves
    expect(q.inline).toBe(false);
    q.record(0.2); // mean 0.66: not yet back (hysteresis)
    expect(q.inline).toBe(false);
    q.record(0.2); // mean 0.43 < 0.5: back inline
    expect(q.inline).toBe(true);
  });
});
