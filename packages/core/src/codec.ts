/**
 * Encodes every RPC argument, reply and persisted record. Decoding yields a
 * fresh object graph: a receiver never shares memory with the sender.
 * `@raftkit/codec` provides the msgpack implementation every package uses.
 */
export interface Codec {
  encode(value: unknown): Uint8Array;
  decode(bytes: Uint8Array): unknown;
}
