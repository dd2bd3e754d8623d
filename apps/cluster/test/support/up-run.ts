import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { CLI } from './run-cli.js';

/** A `raftkit up --json` child and the events it printed. */
export interface UpRun {
  child: ChildProcess;
  events: Record<string, unknown>[];
  /** The next event of this kind (after the last one `next` returned), within `boundMs`. */
  next(event: string, boundMs?: number): Promise<Record<string, unknown>>;
}

export function startUpCli(args: string[]): UpRun {
  const child = spawn(process.execPath, [CLI, 'up', '--json', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const events: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    events.push(JSON.parse(line) as Record<string, unknown>);
    for (const w of waiters.splice(0)) w();
  });
  let seen = 0;
  return {
    child,
    events,
    async next(event, boundMs = 30_000) {
      const end = performance.now() + boundMs;
      for (;;) {
        const i = events.findIndex((e, k) => k >= seen && e.event === event);
        if (i >= 0) {
          seen = i + 1;
          return events[i]!;
        }
        if (performance.now() > end)
          throw new Error(`no "${event}" line within ${boundMs} ms; got ${JSON.stringify(events)}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 200);
        });
      }
    },
  };
}

/** Resolves with the child's exit code once it has exited. */
export const exited = (c: ChildProcess) =>
  new Promise<number | null>((r) =>
    c.exitCode !== null || c.signalCode !== null
      ? r(c.exitCode)
      : c.once('exit', (code) => r(code)),
  );

/** Retries `attempt` every 100 ms until it resolves, up to `boundMs`; rethrows the last error. */
export async function eventually<T>(attempt: () => Promise<T>, boundMs = 15_000): Promise<T> {
  const end = performance.now() + boundMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (performance.now() > end) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
