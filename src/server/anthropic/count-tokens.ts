import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChatRequest } from '../../core/canonical.js';
import type { Deployment } from '../../core/deployment.js';
import { GatewayError } from '../../core/errors.js';
import { countRequestTokens } from '../../ledger/token-estimator.js';
import { sendUpstreamBuffered } from '../../providers/shared/http-client.js';
import { assertModelAllowed, type Principal } from '../auth/key-service.js';
import type { Gateway } from '../gateway.js';
import { readJsonBody, sendJson } from '../http-body.js';
import type { Json } from '../openai/field-reader.js';
import { decodeMessagesRequest } from './decode-messages-request.js';

/** The fields Anthropic's count_tokens takes: https://docs.anthropic.com/en/api/messages-count-tokens */
const countedFields = ['messages', 'system', 'tools', 'tool_choice', 'thinking', 'mcp_servers', 'context_management', 'output_config'];

function countBody(body: Json, upstreamModel: string): string {
  const counted: Json = { model: upstreamModel };
  for (const field of countedFields) if (body[field] !== undefined) counted[field] = body[field];
  return JSON.stringify(counted);
}

/** Asks an Anthropic provider for its own count, with the headers (key, version, beta) its messages call would carry. */
async function providerCount(deployment: Deployment, request: ChatRequest, body: Json): Promise<number> {
  const upstream = await deployment.adapter.buildChatRequest({ ...request, stream: false }, deployment.upstreamModel, deployment.endpoint);
  const counting = { ...upstream, url: upstream.url.replace(/\/messages$/, '/messages/count_tokens'), body: countBody(body, deployment.upstreamModel) };
  const answer = await sendUpstreamBuffered(counting, { provider: deployment.provider, timeouts: deployment.timeouts });
  const text = answer.body.toString('utf8');
  if (answer.status >= 400) throw deployment.adapter.classifyError({ status: answer.status, headers: answer.headers, body: text }, deployment.endpoint);
  const parsed = JSON.parse(text) as { input_tokens?: unknown };
  if (typeof parsed.input_tokens !== 'number') throw new GatewayError('upstream_error', `Provider "${deployment.provider}" answered count_tokens without input_tokens.`, { provider: deployment.provider });
  return parsed.input_tokens;
}

/**
 * `POST /v1/messages/count_tokens`: the provider's own count when the model (or a route's first target) is on
 * Anthropic, else the gateway tokenizer's estimate, marked by `x-switchyard-estimated: true`.
 */
export async function countMessageTokens(gateway: Gateway, http: { request: IncomingMessage; response: ServerResponse }, principal: Principal): Promise<void> {
  const raw = await readJsonBody(http.request, gateway.config.server);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new GatewayError('invalid_request', 'body: expected a JSON object.', { param: 'body' });
  const body = raw as Json;
  // count_tokens takes no max_tokens; the Messages decoder needs one to accept the body.
  const request = decodeMessagesRequest({ ...body, max_tokens: body.max_tokens ?? 1 }, http.request.headers);
  assertModelAllowed(principal, request.model);
  const deployment = gateway.registry.resolve(request.model).deployments[0];
  if (deployment?.adapter.type === 'anthropic') {
    sendJson(http.response, 200, { input_tokens: await providerCount(deployment, request, body) });
    return;
  }
  sendJson(http.response, 200, { input_tokens: countRequestTokens(request) }, { 'x-switchyard-estimated': 'true' });
}
