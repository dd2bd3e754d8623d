export { KvServer, type KvServerOptions } from './kv-server.js';
