import { lookup as dnsLookup, promises as dnsPromises, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { classifyAddress, isMetadataName, type AddressClass } from './address-class.js';
import { outboundSchema, type OutboundSettings } from './outbound-config.js';

/**
 * Where a URL came from. `configured`: written by the operator (provider base URLs, the alert webhook, exporters),
 * so private and loopback addresses are fine. `client`: taken from a request (an image URL), so only public ones.
 */
export type UrlSource = 'configured' | 'client';

const descriptions: Record<Exclude<AddressClass, 'public'>, string> = {
  metadata: 'cloud metadata',
  'link-local': 'link-local',
  unroutable: 'unroutable (wildcard, multicast or reserved)',
  private: 'private or loopback',
};

/** An error a socket fails with when its destination is refused; the HTTP client reads its code. */
export function deniedAddress(message: string): Error {
  return Object.assign(new Error(message), { code: 'UPSTREAM_ADDRESS_DENIED' });
}

/** Decides which destinations Switchyard's own requests may reach, by host name and by resolved address. */
export class OutboundPolicy {
  private readonly allowedBlocks = new BlockList();
  private readonly allowedNames = new Set<string>();
  private readonly allowedSuffixes: string[] = [];

  constructor(private readonly settings: OutboundSettings) {
    for (const entry of settings.allow) {
      const slash = entry.indexOf('/');
      const address = slash === -1 ? entry : entry.slice(0, slash);
      const family = isIP(address);
      if (family !== 0) {
        const type = family === 6 ? 'ipv6' : 'ipv4';
        if (slash === -1) this.allowedBlocks.addAddress(address, type);
        else this.allowedBlocks.addSubnet(address, Number(entry.slice(slash + 1)), type);
      } else if (entry.startsWith('.')) this.allowedSuffixes.push(entry.toLowerCase());
      else this.allowedNames.add(entry.toLowerCase().replace(/\.$/, ''));
    }
  }

  private nameAllowed(host: string): boolean {
    const name = host.toLowerCase().replace(/\.$/, '');
    return this.allowedNames.has(name) || this.allowedSuffixes.some((suffix) => name.endsWith(suffix));
  }

  private addressAllowed(address: string): boolean {
    return this.allowedBlocks.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
  }

  /** Why `host` (a name or an IP literal) may not be called, before any lookup; undefined when a name's addresses decide. */
  refuseHost(host: string, source: UrlSource): string | undefined {
    if (this.nameAllowed(host)) return undefined;
    if (isMetadataName(host)) return `${host} is a cloud metadata service; Switchyard does not call it unless outbound.allow lists it.`;
    if (isIP(host) !== 0) return this.refuseAddress(host, host, source);
    return undefined;
  }

  /** Why the address `host` resolved to may not be called from a URL of this source; undefined when it may. */
  refuseAddress(host: string, address: string, source: UrlSource): string | undefined {
    if (this.nameAllowed(host) || this.addressAllowed(address)) return undefined;
    const kind = classifyAddress(address);
    if (kind === 'public') return undefined;
    if (kind === 'private' && (source === 'configured' || this.settings.allowPrivate)) return undefined;
    const where = host === address ? address : `${host} (${address})`;
    const remedy = kind === 'private' ? 'outbound.allowPrivate or outbound.allow' : 'outbound.allow';
    return `${where} is a ${descriptions[kind]} address, which a ${source === 'client' ? "client's" : 'configured'} URL may not reach unless ${remedy} permits it.`;
  }

  /** `refuseHost` for the host of a URL; an unparsable URL or a scheme other than http(s) is refused too. */
  refuseUrl(url: string, source: UrlSource): string | undefined {
    const host = hostOf(url);
    if (host === undefined) return `${url} is not an http or https URL.`;
    return this.refuseHost(host, source);
  }

  /**
   * `refuseUrl`, then every address the host resolves to: for URLs that a library other than the shared HTTP client
   * will call (an exporter's endpoint), checked once at start. The shared client checks on every connection instead.
   */
  async refuseResolvedUrl(url: string, source: UrlSource): Promise<string | undefined> {
    const refused = this.refuseUrl(url, source);
    const host = hostOf(url);
    if (refused !== undefined || host === undefined || isIP(host) !== 0) return refused;
    const addresses = await dnsPromises.lookup(host, { all: true }).catch(() => []);
    for (const { address } of addresses) {
      const found = this.refuseAddress(host, address, source);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /**
   * A `lookup` for `net.connect` and `tls.connect` that resolves as usual and then fails the connection when any
   * address found is refused, so the check applies to the address actually dialled (no gap for DNS rebinding).
   */
  lookupFor(source: UrlSource) {
    return (hostname: string, options: LookupOneOptions | LookupAllOptions, callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void): void => {
      dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
        if (error) return callback(error, []);
        for (const { address } of addresses) {
          const refused = this.refuseAddress(hostname, address, source);
          if (refused !== undefined) return callback(deniedAddress(refused), []);
        }
        if ((options as LookupAllOptions).all) return callback(null, addresses);
        const first = addresses[0] as LookupAddress;
        callback(null, first.address, first.family);
      });
    };
  }
}

function hostOf(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  return parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
}

let current = new OutboundPolicy(outboundSchema.parse({}));

/**
 * The policy of this process. The HTTP client and its connection pools are per process, so the policy is too; the
 * gateway sets it from `outbound:` when it starts.
 */
export function outboundPolicy(): OutboundPolicy {
  return current;
}

export function setOutboundPolicy(settings: OutboundSettings): void {
  current = new OutboundPolicy(settings);
}
