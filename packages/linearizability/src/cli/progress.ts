import type { CheckProgress } from '../options.js';
import { formatBytes } from '../memory.js';

/** A progress display for one long check: a cli-progress bar on a TTY (stderr). */
export interface ProgressDisplay {
  update(progress: CheckProgress): void;
  stop(): void;
}

const count = (n: number) => n.toLocaleString('en-US');

/** The status text shown beside the bar. */
export function describeProgress(p: CheckProgress): string {
  return `partitions ${count(p.partitionsDone)}/${count(p.partitions)} · ops placed ${count(p.operationsPlaced)}/${count(p.operations)} · cache ${formatBytes(p.cacheBytes)} · memory ${formatBytes(p.rssBytes)} of ${formatBytes(p.memoryBudgetBytes)} · ${(p.elapsedMs / 1000).toFixed(1)} s`;
}

/** Loads cli-progress only when a check runs long enough to need it. */
export async function makeProgress(
  name: string,
  stream: NodeJS.WriteStream,
): Promise<ProgressDisplay> {
  const { SingleBar } = await import('cli-progress');
  const bar = new SingleBar({
    stream,
    format: `${name} [{bar}] {percentage}% {status}`,
    barsize: 20,
    hideCursor: false,
    clearOnComplete: true,
    etaBuffer: 10,
    barCompleteChar: '#',
    barIncompleteChar: '-',
  });
  let started = false;
  return {
    update(p) {
      if (!started) {
        bar.start(p.operations, 0, { status: '' });
        started = true;
      }
      bar.update(p.operationsPlaced, { status: describeProgress(p) });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
