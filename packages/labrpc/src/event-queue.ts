/** A scheduled event. Ordered by (at, seq): equal times run in scheduling order. */
export interface QueuedEvent {
  /** Virtual time in ms. */
  at: number;
  /** Insertion counter; breaks ties deterministically. */
  seq: number;
  fn: () => void;
  cancelled: boolean;
  /** Short description for stall reports, or undefined. */
  label: string | undefined;
}

/** A binary min-heap of events keyed by (at, seq). */
export class EventQueue {
  private readonly heap: QueuedEvent[] = [];
  private live = 0;

  get size(): number {
    return this.live;
  }

  push(event: QueuedEvent): void {
    const heap = this.heap;
    heap.push(event);
    this.live += 1;
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      swap(heap, i, parent);
      i = parent;
    }
  }

  /** Marks an event cancelled; it is discarded when it reaches the top. */
  cancel(event: QueuedEvent): void {
    if (!event.cancelled) {
      event.cancelled = true;
      this.live -= 1;
    }
  }

  /** Removes and returns the earliest live event, or undefined when none is left. */
  pop(): QueuedEvent | undefined {
    for (;;) {
      const top = this.popRaw();
      if (top === undefined) return undefined;
      if (!top.cancelled) {
        this.live -= 1;
        top.cancelled = true;
        return top;
      }
    }
  }

  /** The earliest live event without removing it. */
  peek(): QueuedEvent | undefined {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.popRaw();
    return this.heap[0];
  }

  /** Labels of live events, earliest first (for diagnostics only; O(n log n)). */
  labels(limit: number): string[] {
    return this.heap
      .filter((e) => !e.cancelled)
      .sort((a, b) => (before(a, b) ? -1 : 1))
      .slice(0, limit)
      .map((e) => `${e.label ?? 'timer'}@${e.at.toFixed(3)}`);
  }

  private popRaw(): QueuedEvent | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        swap(heap, i, m);
        i = m;
      }
    }
    return top;
  }
}

function before(a: QueuedEvent, b: QueuedEvent): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

function swap(heap: QueuedEvent[], i: number, j: number): void {
  const t = heap[i]!;
  heap[i] = heap[j]!;
  heap[j] = t;
}
