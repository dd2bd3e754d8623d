export {
  memoryStorage,
  type SimPeerOptions,
  SimRaftCluster,
  type SimRaftClusterOptions,
  simRaftCluster,
  type StorageFactory,
} from './sim-raft-cluster.js';
export { SimWiring } from './sim-wiring.js';
