import { isIP } from 'node:net';
import { z } from 'zod';

const hostName = /^\.?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/i;

/** A single address, a CIDR block, a host name, or `.suffix` for every name under it. */
const allowEntry = z.string().refine(
  (entry) => {
    const slash = entry.indexOf('/');
    if (slash === -1) return isIP(entry) !== 0 || hostName.test(entry);
    const family = isIP(entry.slice(0, slash));
    const bits = entry.slice(slash + 1);
    return family !== 0 && /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32);
  },
  { message: 'expected an IP address, a CIDR block (10.0.0.0/8, fd00::/8), a host name or .suffix' },
);

/** The `outbound:` section: which addresses Switchyard's own requests may reach (see docs/network-safety.md). */
export const outboundSchema = z
  .object({
    /** Let URLs that come from clients reach private and loopback addresses too. Configured URLs always may. */
    allowPrivate: z.boolean().default(false),
    /**
     * Destinations allowed whatever their class, metadata and link-local included: CIDR blocks (`10.1.0.0/16`,
     * `fd00::/8`), single addresses, or host names (`metadata.google.internal`, `.internal` for every subdomain).
     */
    allow: z.array(allowEntry).default([]),
  })
  .strict();

export type OutboundSettings = z.infer<typeof outboundSchema>;
