/** One structured log record. `t` is the clock's time in ms. */
export interface LogRecord {
  t: number;
  /** Who logged it: "raft-2", "net", "kv-0", "clerk-3"… */
  src: string;
  /** What happened, a short stable identifier: "become-leader", "rpc-drop"… */
  ev: string;
  [field: string]: unknown;
}

/**
 * Structured logging. Off by default in tests (`noopLogger`); the simulation
 * records every record into its trace, and prints them when RAFTKIT_LOG is set.
 */
export interface Logger {
  readonly enabled: boolean;
  log(src: string, ev: string, fields?: Record<string, unknown>): void;
}

export const noopLogger: Logger = {
  enabled: false,
  log() {},
};
