import type { IncomingMessage } from 'node:http';
import { isIP, type BlockList } from 'node:net';
import { inNetworks, normalizeAddress } from '../../core/cidr.js';

/**
 * The client's address: the socket's peer, unless that peer is a trusted proxy; then X-Forwarded-For is read from the
 * right, skipping trusted proxies, and the first other address is the client. Without trusted proxies the header is
 * ignored, since any client can write it.
 */
export function clientAddress(request: IncomingMessage, trustedProxies: BlockList | undefined): string {
  const peer = normalizeAddress(request.socket.remoteAddress ?? '');
  if (!trustedProxies || !inNetworks(trustedProxies, peer)) return peer;
  const header = request.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((hop) => normalizeAddress(hop.trim())).filter((hop) => isIP(hop) !== 0);
  for (let index = hops.length - 1; index >= 0; index -= 1) {
    const hop = hops[index] as string;
    if (!inNetworks(trustedProxies, hop)) return hop;
  }
  return hops[0] ?? peer;
}
