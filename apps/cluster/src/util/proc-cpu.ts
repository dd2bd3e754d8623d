import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Linux clock ticks per second for /proc CPU times (USER_HZ is 100 on Linux). */
const HZ = 100;

/** CPU seconds (user + system) a process has used, from /proc/PID/stat; NaN when it is gone. */
export function processCpuSeconds(pid: number): number {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / HZ;
  } catch {
    return Number.NaN;
  }
}

/** Whole-host CPU ticks (total and idle) from /proc/stat, or null off Linux. */
export function hostTicks(): { total: number; idle: number } | null {
  try {
    const f = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    return { total: f.reduce((a, b) => a + b, 0), idle: (f[3] ?? 0) + (f[4] ?? 0) };
  } catch {
    return null;
  }
}

export const hostCpuCount = (): number => cpus().length;
