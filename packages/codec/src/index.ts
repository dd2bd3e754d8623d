export { createMsgpackCodec, msgpackCodec } from './msgpack-codec.js';
