import type { Config } from '../../../config/schema.js';
import { OutboundPolicy } from './outbound-policy.js';

/**
 * Configured URLs that the outbound policy would refuse whatever DNS says (a metadata name, a link-local literal),
 * reported when the configuration loads instead of on the first request. Names are resolved, and checked, on use.
 */
export function configuredUrlProblems(config: Config): string[] {
  const policy = new OutboundPolicy(config.outbound);
  const urls: Array<[string, string | undefined]> = [
    ...Object.entries(config.providers).map(([name, provider]): [string, string | undefined] => [`providers.${name}.baseUrl`, provider.baseUrl]),
    ['alerts.webhookUrl', config.alerts.webhookUrl],
  ];
  const problems: string[] = [];
  for (const [path, url] of urls) {
    const refused = url === undefined ? undefined : policy.refuseUrl(url, 'configured');
    if (refused !== undefined) problems.push(`${path}: ${refused}`);
  }
  return problems;
}
