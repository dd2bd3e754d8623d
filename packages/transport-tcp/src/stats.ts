/** Counters of one transport since it started. Monotonic unless noted. */
export interface TcpTransportStats {
  /** Calls made through this transport's ends. */
  calls: number;
  /** Calls resolved with a reply. */
  replies: number;
  /** Calls resolved as lost (every cause below, plus connection loss). */
  lost: number;
  /** Calls lost because no reply came within `callTimeoutMs`. */
  timeouts: number;
  /** Calls lost at once because a send queue or the pending-call table was full. */
  queueFullDrops: number;
  /** Calls lost at once because the peer was unreachable (reconnect back-off). */
  unreachableDrops: number;
  /** Requests or replies dropped, or calls cut, by the fault layer. */
  faultDrops: number;
  /** Calls answered by the peer with an error frame (unknown method, handler error, bad request). */
  remoteErrors: number;
  /** Bytes written to sockets (frames and handshakes). */
  bytesSent: number;
  /** Bytes read from sockets. */
  bytesReceived: number;
  /** Outbound connection attempts after the first one to the same peer. */
  reconnects: number;
  /** Outbound connection attempts that failed (connect, TLS, handshake, timeout). */
  connectFailures: number;
  /** Frames refused: oversized, malformed, unexpected type or truncated stream. */
  rejectedFrames: number;
  /** Inbound handshakes refused (cluster, unknown id, authentication, TLS). */
  rejectedHandshakes: number;
  /** Requests dispatched to the RpcServer. */
  requestsServed: number;
  /** Requests answered with an error frame (unknown method, handler threw, bad payload). */
  requestErrors: number;
  /** Inbound connections open now (a gauge). */
  inboundConnections: number;
  /** Outbound connections open now (a gauge). */
  outboundConnections: number;
  /** Calls awaiting a reply now (a gauge). */
  pendingCalls: number;
  /** Largest number of bytes any decoder held between reads (a high-water mark). */
  peakDecoderBytes: number;
}

export function emptyStats(): TcpTransportStats {
  return {
    calls: 0,
    replies: 0,
    lost: 0,
    timeouts: 0,
    queueFullDrops: 0,
    unreachableDrops: 0,
    faultDrops: 0,
    remoteErrors: 0,
    bytesSent: 0,
    bytesReceived: 0,
    reconnects: 0,
    connectFailures: 0,
    rejectedFrames: 0,
    rejectedHandshakes: 0,
    requestsServed: 0,
    requestErrors: 0,
    inboundConnections: 0,
    outboundConnections: 0,
    pendingCalls: 0,
    peakDecoderBytes: 0,
  };
}
