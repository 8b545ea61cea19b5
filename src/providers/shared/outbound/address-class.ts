import { BlockList, isIP } from 'node:net';

/** What an address is, as far as reaching it from a gateway goes. */
export type AddressClass = 'metadata' | 'link-local' | 'unroutable' | 'private' | 'public';

function blocks(entries: Array<[string, number]>): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of entries) list.addSubnet(network, prefix, network.includes(':') ? 'ipv6' : 'ipv4');
  return list;
}

/**
 * Instance metadata services hand out cloud credentials to whoever asks from the machine: AWS, Azure, GCP, Oracle
 * and DigitalOcean at 169.254.169.254 (AWS also fd00:ec2::254 and 169.254.170.2 for ECS tasks, 169.254.170.23 for
 * EKS pods), Alibaba at 100.100.100.200.
 */
const metadataAddresses = blocks([['169.254.169.254', 32], ['169.254.170.2', 32], ['169.254.170.23', 32], ['fd00:ec2::254', 128], ['fd00:ec2::23', 128], ['100.100.100.200', 32]]);
const linkLocal = blocks([['169.254.0.0', 16], ['fe80::', 10]]);
/** This host as a wildcard, multicast, broadcast and reserved space: never a server to call. */
const unroutable = blocks([['0.0.0.0', 8], ['224.0.0.0', 4], ['240.0.0.0', 4], ['::', 128], ['ff00::', 8]]);
/** Loopback, RFC 1918, shared address space (carrier NAT), benchmarking, and IPv6 unique-local. */
const privateRanges = blocks([['127.0.0.0', 8], ['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['100.64.0.0', 10], ['198.18.0.0', 15], ['::1', 128], ['fc00::', 7]]);

/** Host names of metadata services, denied before any lookup (lower case, without a trailing dot). */
const metadataNames = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data', 'instance-data.ec2.internal', 'metadata.azure.internal']);

/** The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`) or NAT64 (`64:ff9b::/96`) IPv6 address, if any. */
function embeddedIpv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const prefix = ['::ffff:', '64:ff9b::'].find((each) => lower.startsWith(each));
  if (!prefix) return undefined;
  const rest = lower.slice(prefix.length);
  if (isIP(rest) === 4) return rest;
  const groups = rest.split(':');
  if (groups.length !== 2 || !groups.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return undefined;
  const [high, low] = groups.map((group) => parseInt(group, 16)) as [number, number];
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

export function classifyAddress(address: string): AddressClass {
  const family = isIP(address);
  if (family === 0) throw new Error(`Not an IP address: ${address}`);
  const inner = family === 6 ? embeddedIpv4(address) : undefined;
  if (inner !== undefined) return classifyAddress(inner);
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (metadataAddresses.check(address, type)) return 'metadata';
  if (linkLocal.check(address, type)) return 'link-local';
  if (unroutable.check(address, type)) return 'unroutable';
  if (privateRanges.check(address, type)) return 'private';
  return 'public';
}

export function isMetadataName(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return metadataNames.has(name);
}
