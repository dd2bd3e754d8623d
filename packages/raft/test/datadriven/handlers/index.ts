import type { ScriptEnv } from '../env.js';
import { campaign } from './campaign.js';
import { cluster } from './cluster.js';
import { crash } from './crash.js';
import { deliver } from './deliver.js';
import { drop } from './drop.js';
import { heal } from './heal.js';
import { lose } from './lose.js';
import { partition } from './partition.js';
import { propose } from './propose.js';
import { raftLog } from './raft-log.js';
import { readIndex } from './read-index.js';
import { restart } from './restart.js';
import { setLog } from './set-log.js';
import { snapshot } from './snapshot.js';
import { stabilize } from './stabilize.js';
import { status } from './status.js';
import { tick } from './tick.js';
import { transfer } from './transfer.js';

/** Every script command, one handler file each. */
export const handlers: Record<string, (env: ScriptEnv, args: string[]) => void> = {
  cluster,
  campaign,
  tick,
  propose,
  deliver,
  stabilize,
  drop,
  lose,
  partition,
  heal,
  crash,
  restart,
  snapshot,
  'read-index': readIndex,
  transfer,
  status,
  'raft-log': raftLog,
  'set-log': setLog,
};
