import { SimulationStalledError } from './errors/simulation-stalled-error.js';
import { enterSimulation, type LogRecord, type Logger } from '@raftkit/core';
import type { Rng } from '@raftkit/core';
import { createSeededRng } from './seeded-rng.js';
import { Trace } from './trace.js';
import { VirtualClock } from './virtual-clock.js';

// Captured at load so that later stubbing of globals cannot reach the loop.
const realSetImmediate = globalThis.setImmediate; // determinism-ok: the loop's own yield to the real event loop
const drainMicrotasks = () => new Promise<void>((resolve) => realSetImmediate(resolve));

export interface SimulationOptions {
  /** Determines every random choice of the run. */
  seed: number | string;
  /** Records kept for a failure dump (default 200 000). */
  traceCapacity?: number;
  /** Print every trace record to stderr (default: env RAFTKIT_LOG is set and not "0"). */
  printTrace?: boolean;
  /**
   * Default of `SimNetworkOptions.traceDeliveries` for networks of this simulation: trace every
   * delivered request and reply (the trace viewer draws them as arrows). Default: env RAFTKIT_LOG.
   */
  traceDeliveries?: boolean;
}

export interface RunOptions {
  /** Fail with SimulationStalledError when virtual time passes this many ms from the start of `run`. */
  maxVirtualMs?: number;
  /** Fail when more than this many events have run in this call (default 50 million). */
  maxEvents?: number;
  /**
   * Polled every 1024 events; a returned string stops the run with a
   * `SimulationStalledError` carrying that reason. For watchdogs outside the
   * simulated world (a sweep's wall-clock limit): such a stop is reported as a
   * hang, never as a verdict on the code under test.
   */
  shouldStop?: () => string | undefined;
}

/**
 * A whole distributed system in one process on a virtual clock. `run` starts
 * an async scenario and then repeatedly drains the microtask queue, pops the
 * earliest event, advances time to it and runs it, until the scenario settles.
 * The same seed gives the same event order and the same trace.
 */
export class Simulation {
  readonly clock = new VirtualClock();
  readonly rng: Rng;
  readonly seed: string;
  readonly logger: Logger;
  private readonly traceLog: Trace;
  private failure: { error: unknown } | undefined;
  private readonly stallReporters: (() => string[])[] = [];
  private readonly stepHooks: (() => void)[] = [];
  private eventsRun = 0;
  /** See `SimulationOptions.traceDeliveries`; undefined: decided by the environment. */
  readonly traceDeliveries: boolean | undefined;

  constructor(options: SimulationOptions) {
    this.traceDeliveries = options.traceDeliveries;
    this.rng = createSeededRng(options.seed);
    this.seed = String(options.seed);
    const envLog = process.env.RAFTKIT_LOG;
    const print = options.printTrace ?? (envLog !== undefined && envLog !== '' && envLog !== '0');
    this.traceLog = new Trace(options.traceCapacity ?? 200_000, print);
    const clock = this.clock;
    const trace = this.traceLog;
    this.logger = {
      enabled: true,
      log(src, ev, fields) {
        trace.record({ t: clock.now(), src, ev, ...fields });
      },
    };
  }

  /** Records one event in the trace (hashed; kept for failure dumps). */
  trace(src: string, ev: string, fields?: Record<string, unknown>): void {
    this.traceLog.record({ t: this.clock.now(), src, ev, ...fields });
  }

  /**
   * Hex digest of the schedule so far: the virtual time and label of every
   * event run, in order. It does not depend on what is logged (RAFTKIT_LOG,
   * traced deliveries): two runs of one seed give the same hash.
   */
  traceHash(): string {
    return this.traceLog.hash();
  }

  /** The retained trace records (the last `traceCapacity`), oldest first. */
  traceRecords(): LogRecord[] {
    return this.traceLog.records();
  }

  /** Number of trace records so far. */
  traceSize(): number {
    return this.traceLog.size;
  }

  /** Writes the retained trace to `path` as JSON lines. */
  dumpTrace(path: string, header?: Record<string, unknown>): string {
    return this.traceLog.dump(path, { seed: this.seed, t: this.clock.now(), ...header });
  }

  /** Events run so far, over all `run` calls. */
  get eventCount(): number {
    return this.eventsRun;
  }

  /**
   * Fails the running scenario: `run` rejects with `error` at the next step.
   * For invariant violations found inside callbacks (the lab's log.Fatalf).
   */
  fail(error: unknown): void {
    if (this.failure === undefined) this.failure = { error };
  }

  /**
   * Calls `check` after every step of `run` (an event and the microtasks it
   * caused), for invariants that must hold at every instant. A throw fails the
   * run with that error. Keep it cheap: it runs millions of times in a sweep.
   * Returns a function that removes the hook.
   */
  onStep(check: () => void): () => void {
    this.stepHooks.push(check);
    return () => {
      const i = this.stepHooks.indexOf(check);
      if (i >= 0) this.stepHooks.splice(i, 1);
    };
  }

  /** Adds a source of "what is still waiting" lines for stall reports. */
  addStallReporter(report: () => string[]): void {
    this.stallReporters.push(report);
  }

  /** Runs `scenario` to completion in virtual time. */
  async run<T>(scenario: () => Promise<T>, options: RunOptions = {}): Promise<T> {
    const start = this.clock.now();
    const maxTime =
      options.maxVirtualMs === undefined ? Number.POSITIVE_INFINITY : start + options.maxVirtualMs;
    const maxEvents = options.maxEvents ?? 50_000_000;
    let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
    const leave = enterSimulation();
    let started: Promise<T>;
    try {
      started = scenario();
    } catch (error) {
      leave();
      throw error;
    }
    started.then(
      (value) => {
        outcome = { ok: true, value };
      },
      (error: unknown) => {
        outcome = { ok: false, error };
      },
    );
    let events = 0;
    try {
      for (;;) {
        await drainMicrotasks();
        if (this.failure === undefined && this.stepHooks.length > 0) this.runHooks();
        if (this.failure !== undefined) throw this.failure.error;
        if (outcome !== undefined) break;
        const next = this.clock.nextEventAt();
        if (next === undefined)
          throw this.stalled('no event is left but the scenario has not finished');
        if (next > maxTime) {
          throw this.stalled(`virtual time limit of ${options.maxVirtualMs} ms reached`);
        }
        if (events >= maxEvents) throw this.stalled(`event limit of ${maxEvents} reached`);
        if (options.shouldStop !== undefined && (events & 1023) === 1023) {
          const reason = options.shouldStop();
          if (reason !== undefined) throw this.stalled(reason);
        }
        const event = this.clock.advance()!;
        events += 1;
        this.eventsRun += 1;
        this.traceLog.schedule(event.at, event.label);
        try {
          event.fn();
        } catch (error) {
          this.fail(error);
        }
      }
    } finally {
      leave();
    }
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  private runHooks(): void {
    try {
      for (const hook of this.stepHooks) hook();
    } catch (error) {
      this.fail(error);
    }
  }

  private stalled(reason: string): SimulationStalledError {
    const waiting = this.stallReporters.flatMap((report) => report());
    waiting.push(...this.clock.queue.labels(5).map((l) => `next event ${l}`));
    return new SimulationStalledError({ at: this.clock.now(), reason, waiting });
  }
}
