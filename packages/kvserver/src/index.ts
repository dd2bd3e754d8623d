export { KvServer, type KvServerOptions } from './kv-server.js';
export { clusterIdOf, defaultMembers } from './members.js';
export { KvGateway, type KvGatewayOptions } from './gateway/http-gateway.js';
