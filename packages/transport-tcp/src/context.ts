import type { ResolvedOptions } from './options.js';
import type { TcpFaults } from './faults.js';
import type { TcpTransportStats } from './stats.js';
import type { TlsMaterial } from './tls.js';

/** What every connection of one transport shares. */
export interface TransportContext {
  readonly options: ResolvedOptions;
  readonly stats: TcpTransportStats;
  readonly faults: TcpFaults;
  readonly tls: TlsMaterial | undefined;
  readonly closed: boolean;
  /** Whether `nodeId` may connect (acceptFrom, or the address book). */
  accepts(nodeId: string): boolean;
  /** One structured log line through the injected logger. */
  log(ev: string, fields?: Record<string, unknown>): void;
}
