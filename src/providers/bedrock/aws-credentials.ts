import { GatewayError } from '../../core/errors.js';
import type { ProviderEndpoint } from '../../core/provider.js';
import { CredentialRegistry, RefreshingCredential, type Expiring } from '../shared/cloud-identity/refreshing-credential.js';
import { importOptional } from '../shared/cloud-identity/optional-import.js';
import type { AwsCredentials } from './sigv4.js';

/**
 * Where Bedrock credentials come from: static keys in the provider's options, else the AWS default credential chain
 * as the AWS SDK walks it (environment, shared config and credentials files with `profile`, web identity token file,
 * ECS / EKS Pod Identity container credentials, EC2 instance metadata).
 * https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html
 */

interface SdkCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}
/** The SDK chain serves still-valid credentials while it refreshes in the background; `forceRefresh` waits for new ones. */
type SdkProvider = (options?: { forceRefresh?: boolean }) => Promise<SdkCredentials>;

const chains = new CredentialRegistry<AwsCredentials>();

export function stringOption(endpoint: ProviderEndpoint, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = endpoint.options?.[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

export function staticAwsCredentials(endpoint: ProviderEndpoint): AwsCredentials | undefined {
  const accessKeyId = stringOption(endpoint, 'accessKeyId', 'AWS_ACCESS_KEY_ID');
  const secretAccessKey = stringOption(endpoint, 'secretAccessKey', 'AWS_SECRET_ACCESS_KEY');
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = stringOption(endpoint, 'sessionToken', 'AWS_SESSION_TOKEN');
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
}

async function createChain(profile: string | undefined): Promise<SdkProvider> {
  const module = await importOptional('@aws-sdk/credential-providers', 'Bedrock without accessKeyId/secretAccessKey (the AWS default credential chain)', () =>
    import('@aws-sdk/credential-providers'),
  );
  return module.fromNodeProviderChain(profile === undefined ? {} : { profile });
}

function fetcher(endpoint: ProviderEndpoint, profile: string | undefined): () => Promise<Expiring<AwsCredentials>> {
  let chain: Promise<SdkProvider> | undefined;
  let fetched = false;
  return async () => {
    chain ??= createChain(profile);
    const provider = await chain.catch((error: unknown) => {
      chain = undefined;
      throw error;
    });
    let found: SdkCredentials;
    try {
      found = await provider(fetched ? { forceRefresh: true } : undefined);
      fetched = true;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new GatewayError('upstream_authentication_failed', `Bedrock provider '${endpoint.name}' found no AWS credentials: ${reason}`, {
        provider: endpoint.name,
        cause: error,
      });
    }
    const value: AwsCredentials = { accessKeyId: found.accessKeyId, secretAccessKey: found.secretAccessKey };
    if (found.sessionToken) value.sessionToken = found.sessionToken;
    return { value, expiresAtMs: found.expiration?.getTime() };
  };
}

/** Static keys when configured; otherwise the default chain's credentials, cached and refreshed 5 minutes before they expire. */
export async function resolveAwsCredentials(endpoint: ProviderEndpoint): Promise<AwsCredentials> {
  const fixed = staticAwsCredentials(endpoint);
  if (fixed) return fixed;
  const profile = stringOption(endpoint, 'profile');
  const key = `${endpoint.name}\n${profile ?? ''}`;
  return chains.obtain(key, () => new RefreshingCredential(fetcher(endpoint, profile))).get();
}

/** Forgets cached chain credentials (tests, and a reload that changes the environment). */
export function resetAwsCredentialCache(): void {
  chains.clear();
}

const profileRegions = new Map<string, Promise<string | undefined>>();

async function readProfileRegion(profile: string | undefined): Promise<string | undefined> {
  try {
    const { loadSharedConfigFiles, getProfileName } = await import('@smithy/core/config');
    const files = await loadSharedConfigFiles();
    const name = getProfileName(profile === undefined ? {} : { profile });
    const region = files.configFile[name]?.region;
    return typeof region === 'string' && region !== '' ? region : undefined;
  } catch {
    return undefined;
  }
}

/** The `region` of the AWS profile (AWS_PROFILE or `default`) in the shared config file, read once. */
export function profileRegion(profile: string | undefined): Promise<string | undefined> {
  const key = profile ?? process.env.AWS_PROFILE ?? '';
  let found = profileRegions.get(key);
  if (!found) {
    found = readProfileRegion(profile);
    profileRegions.set(key, found);
  }
  return found;
}
