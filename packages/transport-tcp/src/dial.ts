import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { TransportContext } from './context.js';
import { type Challenge, parseChallenge, proof, proofMatches } from './handshake.js';
import type { PeerAddress } from './options.js';
import { certificateNames } from './tls.js';

/**
 * Opens the socket to `peer` at `address`: plain TCP, or TLS with this node's
 * certificate, where the server is identified by its node id in its
 * certificate (not by host name). `setNoDelay(true)`: frames are already
 * coalesced by the writer, so Nagle would only add latency.
 */
export function dial(ctx: TransportContext, peer: string, address: PeerAddress): Socket {
  const socket: Socket =
    ctx.tls === undefined
      ? netConnect({ host: address.host, port: address.port })
      : tlsConnect({
          host: address.host,
          port: address.port,
          cert: ctx.tls.cert,
          key: ctx.tls.key,
          ca: ctx.tls.ca,
          checkServerIdentity: (_host, cert) =>
            certificateNames(cert).includes(peer)
              ? undefined
              : new Error(`certificate does not name node ${peer}`),
        });
  socket.setNoDelay(true);
  return socket;
}

/**
 * The client's answer to a CHALLENGE from `peer`: the AUTH body (with this
 * node's proof when it holds a secret), or why the server is refused — wrong
 * cluster or node, or (holding a secret) a missing or wrong server proof.
 */
export function answerChallenge(
  ctx: TransportContext,
  peer: string,
  clientNonce: Uint8Array,
  decoded: unknown,
): { auth: { proof?: Buffer } } | { refuse: string; protocol: boolean } {
  const { options } = ctx;
  const challenge: Challenge | string = parseChallenge(decoded);
  if (typeof challenge === 'string') return { refuse: challenge, protocol: true };
  if (challenge.cluster !== options.clusterId || challenge.from !== peer) {
    return {
      refuse: `peer is ${challenge.from} of cluster ${challenge.cluster}, expected ${peer} of ${options.clusterId}`,
      protocol: false,
    };
  }
  if (options.secret === undefined) return { auth: {} };
  const fields = {
    cluster: options.clusterId,
    server: peer,
    client: options.nodeId,
    clientNonce,
    serverNonce: challenge.nonce,
  };
  if (!proofMatches(proof('server', options.secret, fields), challenge.proof)) {
    return { refuse: 'peer failed to prove the cluster secret', protocol: false };
  }
  return { auth: { proof: proof('client', options.secret, fields) } };
}
