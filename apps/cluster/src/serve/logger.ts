import type { Logger } from '@raftkit/core';
import pino, { type DestinationStream, type Logger as Pino } from 'pino';
import type { ServeConfig } from './config.js';

/**
 * The process's structured JSON log (pino), one object per line: `level`, `time`, `node`,
 * `msg`, fields. Written synchronously so that the last line before an exit is never lost.
 */
export function createServeLog(
  config: Pick<ServeConfig, 'nodeId' | 'clusterId' | 'logLevel'>,
  destination?: DestinationStream,
): Pino {
  return pino(
    { level: config.logLevel, base: { node: config.nodeId, cluster: config.clusterId } },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** raftkit's injected Logger interface on top of pino: `src` and `ev` become fields, `ev` the message. */
export function asRaftkitLogger(log: Pino): Logger {
  return {
    enabled: log.isLevelEnabled('debug'),
    log(src, ev, fields) {
      log.debug({ src, ...fields }, ev);
    },
  };
}
