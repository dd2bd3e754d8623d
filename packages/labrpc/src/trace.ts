import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LogRecord } from '@raftkit/core';

/**
 * The record of a simulated run: a running hash of the schedule (the virtual
 * time and label of every event the loop ran; two runs of one seed must give
 * the same hash) and the last `capacity` records, which a failing test dumps
 * to a file. Records are also printed as JSON lines to stderr when `print` is
 * on (RAFTKIT_LOG=1). Invariant: the hash covers the schedule only, so what
 * is logged or printed never changes it.
 */
export class Trace {
  private readonly ring: (LogRecord | undefined)[];
  private next = 0;
  private count = 0;
  // Two independent 32-bit FNV-1a lanes make a 64-bit hash.
  private h1 = 0x811c9dc5;
  private h2 = 0x01000193 ^ 0x5bd1e995;

  constructor(
    readonly capacity: number,
    readonly print: boolean,
  ) {
    this.ring = new Array(capacity);
  }

  private readonly words = new Uint32Array(new Float64Array(1).buffer);
  private readonly time = new Float64Array(this.words.buffer);
  private readonly labelCodes = new Map<string, number>();
  private events = 0;

  /** Adds one event of the schedule to the hash: its virtual time (ms) and its label. */
  schedule(at: number, label: string | undefined): void {
    this.time[0] = at;
    let code = 0;
    if (label !== undefined) {
      code = this.labelCodes.get(label) ?? 0;
      if (code === 0) {
        code = 0x811c9dc5;
        for (let i = 0; i < label.length; i++)
          code = Math.imul(code ^ label.charCodeAt(i), 0x01000193);
        code |= 1;
        this.labelCodes.set(label, code);
      }
    }
    const lo = this.words[0]!;
    const hi = this.words[1]!;
    let h1 = Math.imul(this.h1 ^ lo, 0x01000193);
    h1 = Math.imul(h1 ^ hi, 0x01000193);
    this.h1 = Math.imul(h1 ^ code, 0x01000193);
    let h2 = Math.imul(this.h2 ^ lo, 0x5bd1e995);
    h2 = Math.imul(h2 ^ (h2 >>> 15) ^ hi, 0x5bd1e995);
    h2 = Math.imul(h2 ^ (h2 >>> 15) ^ code, 0x5bd1e995);
    this.h2 = h2 ^ (h2 >>> 15);
    this.events += 1;
  }

  /** Events hashed so far. */
  get scheduled(): number {
    return this.events;
  }

  record(record: LogRecord): void {
    if (this.capacity > 0) {
      this.ring[this.next] = record;
      this.next = (this.next + 1) % this.capacity;
    }
    this.count += 1;
    if (this.print) process.stderr.write(`${JSON.stringify(record)}\n`);
  }

  /** Number of records seen (including those that fell out of the ring). */
  get size(): number {
    return this.count;
  }

  /** A hex digest of the schedule so far (every event's time and label, in order). */
  hash(): string {
    return (
      (this.h1 >>> 0).toString(16).padStart(8, '0') + (this.h2 >>> 0).toString(16).padStart(8, '0')
    );
  }

  /** The retained records, oldest first. */
  records(): LogRecord[] {
    const kept = Math.min(this.count, this.capacity);
    const out: LogRecord[] = [];
    for (let i = 0; i < kept; i++) {
      const r = this.ring[(this.next - kept + i + this.capacity) % this.capacity];
      if (r !== undefined) out.push(r);
    }
    return out;
  }

  /** Writes the retained records as JSON lines; returns the path. */
  dump(path: string, header?: Record<string, unknown>): string {
    mkdirSync(dirname(path), { recursive: true });
    const lines: string[] = [];
    if (header !== undefined)
      lines.push(JSON.stringify({ header, records: this.count, hash: this.hash() }));
    const kept = this.records();
    if (kept.length < this.count)
      lines.push(JSON.stringify({ note: `first ${this.count - kept.length} records dropped` }));
    for (const r of kept) lines.push(JSON.stringify(r));
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  }
}
