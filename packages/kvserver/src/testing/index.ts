export {
  SimKvGroup,
  type SimKvGroupOptions,
  type SimKvServerOptions,
  simKvGroup,
} from './sim-kv-group.js';
