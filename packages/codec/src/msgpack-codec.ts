import type { Codec } from '@raftkit/core';
import { Packr } from 'msgpackr';

/**
 * msgpack in msgpackr's plain mode (no records/structures): every message is
 * self-describing, so a fresh decoder in another process or after a restart
 * reads it. Binary fields are copied out of the input on decode. Like JSON,
 * -0 arrives as 0; safe integers stay exact. An object key "__proto__" is
 * renamed on decode, so hostile input cannot reach an object's prototype.
 */
export function createMsgpackCodec(): Codec {
  const packr = new Packr({ useRecords: false, copyBuffers: true, mapsAsObjects: true });
  return {
    encode: (value) => packr.pack(value),
    decode: (bytes) => packr.unpack(bytes),
  };
}

/** The process-wide default codec. */
export const msgpackCodec: Codec = createMsgpackCodec();
