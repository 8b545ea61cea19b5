import { z } from 'zod';
import { GatewayError } from '../../core/errors.js';
import type { ProviderAdapter, ProviderEndpoint, UpstreamRequest } from '../../core/provider.js';
import { importOptional } from '../shared/cloud-identity/optional-import.js';
import { CredentialRegistry, RefreshingCredential, type Expiring } from '../shared/cloud-identity/refreshing-credential.js';

/** The scope Azure OpenAI (Azure AI Foundry) tokens are issued for. */
export const cognitiveServicesScope = 'https://cognitiveservices.azure.com/.default';

/**
 * `options.auth` of an azure-openai provider: Microsoft Entra ID instead of an `api-key`.
 * https://learn.microsoft.com/azure/ai-services/openai/how-to/managed-identity
 */
export const entraAuthSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('entra'),
    tenantId: z.string().min(1),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    authorityHost: z.string().url().optional(),
  }).strict(),
  z.object({ type: z.literal('managed-identity'), clientId: z.string().min(1).optional() }).strict(),
  z.object({ type: z.literal('workload-identity'), tenantId: z.string().optional(), clientId: z.string().optional(), tokenFilePath: z.string().optional() }).strict(),
  z.object({ type: z.literal('default'), managedIdentityClientId: z.string().optional() }).strict(),
]);
export type EntraAuth = z.infer<typeof entraAuthSchema>;

interface TokenCredential {
  getToken(scope: string): Promise<{ token: string; expiresOnTimestamp: number } | null>;
}

const tokens = new CredentialRegistry<string>();

export function entraAuthOf(endpoint: ProviderEndpoint): EntraAuth | undefined {
  const raw = endpoint.options?.auth;
  if (raw === undefined) return undefined;
  const parsed = entraAuthSchema.safeParse(raw);
  if (!parsed.success) {
    throw new GatewayError('internal_error', `Azure OpenAI provider "${endpoint.name}" has an invalid options.auth: ${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`, { provider: endpoint.name });
  }
  return parsed.data;
}

async function createCredential(auth: EntraAuth): Promise<TokenCredential> {
  const identity = await importOptional('@azure/identity', 'Azure OpenAI with Microsoft Entra ID (options.auth)', () => import('@azure/identity'));
  const authorityHost = process.env.AZURE_AUTHORITY_HOST;
  switch (auth.type) {
    case 'entra':
      return new identity.ClientSecretCredential(auth.tenantId, auth.clientId, auth.clientSecret, {
        authorityHost: auth.authorityHost ?? authorityHost,
        disableInstanceDiscovery: (auth.authorityHost ?? authorityHost) !== undefined,
      });
    case 'managed-identity':
      return auth.clientId === undefined ? new identity.ManagedIdentityCredential() : new identity.ManagedIdentityCredential({ clientId: auth.clientId });
    case 'workload-identity':
      return new identity.WorkloadIdentityCredential({ tenantId: auth.tenantId, clientId: auth.clientId, tokenFilePath: auth.tokenFilePath });
    case 'default':
      return new identity.DefaultAzureCredential(auth.managedIdentityClientId === undefined ? {} : { managedIdentityClientId: auth.managedIdentityClientId });
  }
}

function fetcher(endpoint: ProviderEndpoint, auth: EntraAuth): () => Promise<Expiring<string>> {
  let credential: Promise<TokenCredential> | undefined;
  return async () => {
    credential ??= createCredential(auth).catch((error: unknown) => {
      credential = undefined;
      throw error;
    });
    const source = await credential;
    try {
      const token = await source.getToken(cognitiveServicesScope);
      if (!token) throw new Error('no token was returned');
      return { value: token.token, expiresAtMs: token.expiresOnTimestamp };
    } catch (error) {
      throw new GatewayError('upstream_authentication_failed', `Azure OpenAI provider "${endpoint.name}": Microsoft Entra ID gave no token: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, {
        provider: endpoint.name,
        cause: error,
      });
    }
  };
}

/** An Entra access token for the provider, cached and fetched again five minutes before it expires. */
export function getEntraToken(endpoint: ProviderEndpoint, auth: EntraAuth): Promise<string> {
  const key = `${endpoint.name}\n${JSON.stringify(auth)}`;
  return tokens.obtain(key, () => new RefreshingCredential(fetcher(endpoint, auth))).get();
}

export function resetEntraTokens(): void {
  tokens.clear();
}

async function withBearer(request: UpstreamRequest, endpoint: ProviderEndpoint): Promise<UpstreamRequest> {
  const auth = entraAuthOf(endpoint);
  if (!auth) return request;
  const token = await getEntraToken(endpoint, auth);
  const headers: Record<string, string> = { ...request.headers, authorization: `Bearer ${token}` };
  delete headers['api-key'];
  return { ...request, headers };
}

/** The Azure OpenAI adapter, sending `Authorization: Bearer <Entra token>` instead of `api-key` when options.auth is set. */
export function withEntraAuth(adapter: ProviderAdapter): ProviderAdapter {
  const wrapped: ProviderAdapter = {
    ...adapter,
    buildChatRequest: async (request, upstreamModel, endpoint) => withBearer(await adapter.buildChatRequest(request, upstreamModel, endpoint), endpoint),
  };
  const buildEmbedding = adapter.buildEmbeddingRequest;
  if (buildEmbedding) {
    wrapped.buildEmbeddingRequest = async (request, upstreamModel, endpoint) => withBearer(await buildEmbedding.call(adapter, request, upstreamModel, endpoint), endpoint);
  }
  return wrapped;
}
