/**
 * The egress proxy for an upstream origin, from the environment as curl and most HTTP clients read it:
 * HTTPS_PROXY for https origins, HTTP_PROXY for http ones (upper or lower case), and NO_PROXY, a comma-separated
 * list of hosts (`api.internal`), domains (`.corp.example` or `corp.example`, which cover their subdomains),
 * optional ports (`host:8443`), or `*` for none at all. Loopback (localhost, 127.0.0.0/8, ::1) is never proxied.
 * Only http:// proxies are supported.
 */
export interface ProxySettings {
  host: string;
  port: number;
  /** `Proxy-Authorization` value, from user:password in the proxy URL. */
  authorization: string | undefined;
}

type Environment = Record<string, string | undefined>;

function variable(env: Environment, name: string): string | undefined {
  const value = env[name] ?? env[name.toLowerCase()];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function bypassed(host: string, port: number, noProxy: string | undefined): boolean {
  if (noProxy === undefined) return false;
  const name = host.toLowerCase();
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const colon = entry.lastIndexOf(':');
    const hasPort = colon > 0 && /^\d+$/.test(entry.slice(colon + 1)) && !entry.includes(']', colon);
    const pattern = (hasPort ? entry.slice(0, colon) : entry).replace(/^\*?\./, '.');
    if (hasPort && Number(entry.slice(colon + 1)) !== port) continue;
    const bare = pattern.startsWith('.') ? pattern.slice(1) : pattern;
    if (name === bare || name.endsWith(`.${bare}`)) return true;
  }
  return false;
}

function loopback(host: string): boolean {
  const name = host.toLowerCase();
  return name === 'localhost' || name.endsWith('.localhost') || name === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

export function proxyFor(secure: boolean, host: string, port: number, env: Environment = process.env): ProxySettings | undefined {
  if (loopback(host)) return undefined;
  const configured = variable(env, secure ? 'HTTPS_PROXY' : 'HTTP_PROXY');
  if (configured === undefined || bypassed(host, port, variable(env, 'NO_PROXY'))) return undefined;
  let url: URL;
  try {
    url = new URL(configured.includes('://') ? configured : `http://${configured}`);
  } catch {
    throw Object.assign(new Error(`The ${secure ? 'HTTPS_PROXY' : 'HTTP_PROXY'} setting is not a URL.`), { code: 'UPSTREAM_BAD_PROXY' });
  }
  if (url.protocol !== 'http:') throw Object.assign(new Error(`Only http:// proxies are supported, not ${url.protocol}//.`), { code: 'UPSTREAM_BAD_PROXY' });
  const credentials = url.username === '' ? undefined : `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return {
    host: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port === '' ? 80 : Number(url.port),
    authorization: credentials === undefined ? undefined : `Basic ${Buffer.from(credentials).toString('base64')}`,
  };
}
