import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  headerText, isRecord, replyAfterTools, replyPieces, simulatedReply, simulatedToolCalls, simulatedUsage, startProviderSimulator, writeJson, writeStream,
  type ProviderBehaviour, type ProviderSimulator,
} from './loopback-server.js';
import { scriptedAgentTurn } from './scripted-agent.js';

export interface GeminiSimulatorOptions {
  /** When set, any other key is refused with 400 API_KEY_INVALID as the real API does. */
  apiKey?: string;
}

/** Canonical status names by HTTP status: https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes */
const statusNames: Record<number, string> = {
  400: 'INVALID_ARGUMENT', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL', 503: 'UNAVAILABLE', 504: 'DEADLINE_EXCEEDED',
};

const retryDelaySeconds = 30;

interface GoogleError {
  status: number;
  message: string;
  details?: unknown[];
}

function sendError(response: ServerResponse, error: GoogleError, headers: Record<string, string> = {}): void {
  const body: Record<string, unknown> = { code: error.status, message: error.message, status: statusNames[error.status] ?? 'UNKNOWN' };
  if (error.details) body.details = error.details;
  writeJson(response, error.status, { error: body }, headers);
}

/** A quota error carries its retry delay as a RetryInfo detail, not a Retry-After header. */
function simulatedError(status: number): GoogleError {
  if (status !== 429) return { status, message: status === 503 ? 'The model is overloaded. Please try again later.' : `simulated ${status}` };
  return {
    status,
    message: 'You exceeded your current quota, please check your plan and billing details.',
    details: [
      { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_requests', quotaId: 'GenerateRequestsPerMinutePerProjectPerModel' }] },
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryDelaySeconds}s` },
    ],
  };
}

function lastTurnHasToolResults(body: Record<string, unknown>): boolean {
  const last = Array.isArray(body.contents) ? body.contents.at(-1) : undefined;
  return isRecord(last) && Array.isArray(last.parts) && last.parts.some((part) => isRecord(part) && isRecord(part.functionResponse));
}

function wantsTools(body: Record<string, unknown>): boolean {
  const script = scriptedAgentTurn('gemini', body, lastTurnHasToolResults(body));
  if (script) return script.calls.length > 0;
  const mode = isRecord(body.toolConfig) && isRecord(body.toolConfig.functionCallingConfig) ? body.toolConfig.functionCallingConfig.mode : undefined;
  const declared = Array.isArray(body.tools) && body.tools.some((tool) => isRecord(tool) && Array.isArray(tool.functionDeclarations));
  return declared && mode !== 'NONE' && !lastTurnHasToolResults(body);
}

function usageMetadata(outputTokens: number): Record<string, unknown> {
  const prompt = simulatedUsage.freshInput + simulatedUsage.cachedInput;
  return {
    promptTokenCount: prompt,
    candidatesTokenCount: outputTokens,
    totalTokenCount: prompt + outputTokens,
    cachedContentTokenCount: simulatedUsage.cachedInput,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: prompt }],
    cacheTokensDetails: [{ modality: 'TEXT', tokenCount: simulatedUsage.cachedInput }],
  };
}

function chunk(model: string, parts: unknown[], options: { finished: boolean; outputTokens: number }): Record<string, unknown> {
  const candidate: Record<string, unknown> = { content: { parts, role: 'model' }, index: 0 };
  if (options.finished) candidate.finishReason = 'STOP';
  return { candidates: [candidate], usageMetadata: usageMetadata(options.outputTokens), modelVersion: model, responseId: 'sim-gemini-response-1' };
}

/** The signature the simulated model puts on its first function call, as Gemini 3 does; it must come back next turn. */
export const simulatedThoughtSignature = 'c2ltLXRob3VnaHQtc2lnbmF0dXJlLTQyLXNwcmluZ3M=';

function toolCallParts(body: Record<string, unknown>): Array<Record<string, unknown>> {
  const calls = scriptedAgentTurn('gemini', body, lastTurnHasToolResults(body))?.calls ?? simulatedToolCalls;
  return calls.map((call, index) => ({ functionCall: { name: call.name, args: call.input }, ...(index === 0 ? { thoughtSignature: simulatedThoughtSignature } : {}) }));
}

function replyText(body: Record<string, unknown>): string {
  const script = scriptedAgentTurn('gemini', body, lastTurnHasToolResults(body));
  if (script) return script.text;
  return lastTurnHasToolResults(body) ? replyAfterTools : simulatedReply;
}

/**
 * The chunks of a streamed answer. The Developer API sends each function call whole (arguments are not
 * fragmented), one call per chunk here, and closes with an empty text part carrying the finish reason.
 * https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent
 */
export function geminiStreamChunks(body: Record<string, unknown>, model: string): Array<Record<string, unknown>> {
  if (wantsTools(body)) {
    const calls = toolCallParts(body).map((part, index) => chunk(model, [part], { finished: false, outputTokens: 3 * (index + 1) }));
    return [...calls, chunk(model, [{ text: '' }], { finished: true, outputTokens: simulatedUsage.output })];
  }
  const pieces = replyPieces(replyText(body));
  return pieces.map((text, index) => {
    const finished = index === pieces.length - 1;
    return chunk(model, [{ text }], { finished, outputTokens: finished ? simulatedUsage.output : index + 1 });
  });
}

function sseFrame(item: unknown): string {
  return `data: ${JSON.stringify(item)}\r\n\r\n`;
}

/** A failure after the first chunk arrives as an error object in place of the next chunk. */
async function stream(chunks: Array<Record<string, unknown>>, behaviour: ProviderBehaviour, response: ServerResponse): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'x-content-type-options': 'nosniff' });
  if (behaviour.kind !== 'stream-error') {
    await writeStream(response, chunks.map(sseFrame));
    return;
  }
  const frame = sseFrame({ error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } });
  await writeStream(response, chunks.slice(0, 1).map(sseFrame), { frame, release: behaviour.release });
}

function checkKey(request: IncomingMessage, url: URL, options: GeminiSimulatorOptions, response: ServerResponse): boolean {
  const key = headerText(request, 'x-goog-api-key') ?? url.searchParams.get('key') ?? undefined;
  // Vertex AI takes OAuth bearer tokens instead of API keys.
  if (url.pathname.startsWith('/v1/projects/') && /^Bearer \S+$/.test(headerText(request, 'authorization') ?? '')) return true;
  if (key === undefined || key === '') {
    sendError(response, { status: 403, message: "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API." });
    return false;
  }
  if (options.apiKey !== undefined && key !== options.apiKey) {
    sendError(response, {
      status: 400,
      message: 'API key not valid. Please pass a valid API key.',
      details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }],
    });
    return false;
  }
  return true;
}

/** The Gemini API path, and the Vertex AI one (https://cloud.google.com/vertex-ai/generative-ai/docs/reference/rest). */
const routePattern = /^(?:\/v1beta\/models|\/v1\/projects\/[^/]+\/locations\/[^/]+\/publishers\/google\/models)\/([^/:]+):(generateContent|streamGenerateContent)$/;

/** The Gemini Developer API on loopback (POST /v1beta/models/{model}:generateContent and :streamGenerateContent). */
export async function startGeminiSimulator(options: GeminiSimulatorOptions = {}): Promise<ProviderSimulator> {
  return startProviderSimulator({
    rejectBody: (response) => sendError(response, { status: 400, message: 'Invalid JSON payload received.' }),
    async answer(request, body, response, behaviour) {
      const url = new URL(request.url ?? '/', 'http://simulator');
      const route = routePattern.exec(url.pathname);
      if (request.method !== 'POST' || !route) {
        sendError(response, { status: 404, message: `Requested entity was not found: ${url.pathname}` });
        return;
      }
      if (!checkKey(request, url, options, response)) return;
      if (behaviour.kind === 'status') {
        sendError(response, simulatedError(behaviour.status), behaviour.headers);
        return;
      }
      if (!Array.isArray(body.contents) || body.contents.length === 0) {
        sendError(response, { status: 400, message: '* GenerateContentRequest.contents: contents is not specified' });
        return;
      }
      const model = decodeURIComponent(route[1] ?? '');
      const chunks = geminiStreamChunks(body, model);
      if (route[2] === 'streamGenerateContent') {
        // Without alt=sse the same chunks come as one streamed JSON array.
        if (url.searchParams.get('alt') === 'sse') await stream(chunks, behaviour, response);
        else writeJson(response, 200, chunks);
        return;
      }
      const parts = wantsTools(body) ? toolCallParts(body) : [{ text: replyText(body) }];
      writeJson(response, 200, chunk(model, parts, { finished: true, outputTokens: simulatedUsage.output }));
    },
  });
}
