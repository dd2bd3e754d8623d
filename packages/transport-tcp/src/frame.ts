/**
 * Wire framing. Every frame is
 *
 *   [u32 BE length][u8 type][u32 BE id][payload: length - 5 bytes]
 *
 * `length` counts the bytes after itself (type + id + payload), so it is ≥ 5.
 * `id` matches a REPLY or ERROR to its REQUEST on one connection (0 for the
 * handshake frames). Payloads are codec-encoded (msgpack, plain mode).
 */

/** Bytes of the length prefix. */
export const LENGTH_BYTES = 4;
/** Bytes of type + id, counted by the length prefix. */
export const HEAD_BYTES = 5;
/** Bytes before the payload. */
export const HEADER_BYTES = LENGTH_BYTES + HEAD_BYTES;

export const FrameType = {
  /** client → server: cluster, node ids, client nonce. */
  Hello: 1,
  /** server → client: server nonce and, with a secret, the server's proof. */
  Challenge: 2,
  /** client → server: the client's proof (empty without a secret). */
  Auth: 3,
  /** server → client: authenticated; requests may flow. */
  Welcome: 4,
  /** either way: handshake refused, with a reason; the sender closes. */
  Reject: 5,
  /** client → server: [method, args]. */
  Request: 16,
  /** server → client: the handler's reply. */
  Reply: 17,
  /** server → client: { code, message } instead of a reply. */
  Error: 18,
} as const;

export type FrameType = (typeof FrameType)[keyof typeof FrameType];

/** Largest request id; ids wrap to 1 after it (0 is reserved for the handshake). */
export const MAX_ID = 0xffff_ffff;

/** One frame as a single buffer (header and payload), ready to write. */
export function encodeFrame(type: FrameType, id: number, payload: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  frame.writeUInt32BE(HEAD_BYTES + payload.length, 0);
  frame[LENGTH_BYTES] = type;
  frame.writeUInt32BE(id, LENGTH_BYTES + 1);
  frame.set(payload, HEADER_BYTES);
  return frame;
}
