export { KvGateway, type KvGatewayOptions } from './gateway/http-gateway.js';
export { KvServer, type KvServerOptions } from './kv-server.js';
export { clusterIdOf, defaultMembers } from './members.js';
export { type ApplyOutcome, KvStateMachine, type StoredReply } from './state-machine.js';
export type { KvCommand } from './command.js';
