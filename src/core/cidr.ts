import { BlockList, isIP } from 'node:net';

/** Why a CIDR text is not one, or undefined when it is (`10.0.0.0/8`, `::1/128`; a bare address is a /32 or /128). */
export function cidrProblem(text: string): string | undefined {
  const [address = '', prefixText, extra] = text.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return `"${text.slice(0, 60)}" is not an IPv4 or IPv6 network such as 10.0.0.0/8 or ::1/128.`;
  if (prefixText === undefined) return undefined;
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return `"${text.slice(0, 60)}": the prefix length must be a whole number from 0 to ${max}.`;
  return undefined;
}

/** A set of networks to test client addresses against. The CIDR texts must have passed `cidrProblem`. */
export function networkList(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address = '', prefixText] = cidr.split('/');
    const family = isIP(address) === 4 ? 'ipv4' : 'ipv6';
    list.addSubnet(address, prefixText === undefined ? (family === 'ipv4' ? 32 : 128) : Number(prefixText), family);
  }
  return list;
}

/** `::ffff:10.1.2.3` as `10.1.2.3`, and without an IPv6 zone, so one client has one spelling. */
export function normalizeAddress(address: string): string {
  const unzoned = address.includes('%') ? address.slice(0, address.indexOf('%')) : address;
  const lower = unzoned.toLowerCase();
  return lower.startsWith('::ffff:') && isIP(lower.slice(7)) === 4 ? lower.slice(7) : lower;
}

export function inNetworks(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
}
