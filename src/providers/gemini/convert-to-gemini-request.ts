import type { AssistantMessage, ChatRequest, FilePart, ImagePart, Message, ToolChoice, ToolDefinition, UserMessage } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import { isRecord } from '../shared/json-read.js';
import { toGeminiParameters, toGeminiSchema } from './gemini-schema.js';
import type { GeminiContent, GeminiFunctionDeclaration, GeminiGenerationConfig, GeminiPart, GeminiRequestBody, GeminiThinkingConfig, GeminiToolConfig } from './gemini-wire.js';

/**
 * Gemini 3 rejects replayed function calls without their thought signature. The real one, kept on the tool call, is
 * sent back; when none is known (the conversation came from another provider, or the client dropped it), this
 * documented placeholder skips the check (https://ai.google.dev/gemini-api/docs/thought-signatures).
 */
const placeholderThoughtSignature = 'skip_thought_signature_validator';

export function convertToGeminiRequest(request: ChatRequest, upstreamModel = ''): GeminiRequestBody {
  const system = request.messages.flatMap((message) => (message.role === 'system' && message.content !== '' ? [{ text: message.content }] : []));
  const body: GeminiRequestBody = { contents: convertMessages(request.messages) };
  if (system.length > 0) body.systemInstruction = { parts: system };
  if (request.tools && request.tools.length > 0) {
    body.tools = [{ functionDeclarations: request.tools.map(convertTool) }];
    if (request.toolChoice !== undefined) body.toolConfig = convertToolChoice(request.toolChoice);
  }
  const generationConfig = convertGenerationConfig(request, upstreamModel);
  if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig;
  return body;
}

function convertMessages(messages: Message[]): GeminiContent[] {
  const contents: GeminiContent[] = [];
  const toolNames = new Map<string, string>();
  let pendingResponses: GeminiPart[] | undefined;
  for (const message of messages) {
    if (message.role === 'tool') {
      // Gemini matches results to calls by function name, not id, so the name comes from the earlier call.
      const name = toolNames.get(message.toolCallId);
      if (name === undefined) {
        throw new GatewayError('invalid_request', `Tool result "${message.toolCallId}" does not answer any earlier assistant tool call.`, { param: 'messages' });
      }
      const response = message.isError === true ? { error: message.content } : { output: message.content };
      const part: GeminiPart = { functionResponse: { name, response } };
      if (pendingResponses) pendingResponses.push(part);
      else {
        pendingResponses = [part];
        contents.push({ role: 'user', parts: pendingResponses });
      }
      continue;
    }
    pendingResponses = undefined;
    if (message.role === 'user') pushContent(contents, 'user', message.content.map(convertUserPart));
    else if (message.role === 'assistant') {
      for (const call of message.toolCalls ?? []) toolNames.set(call.id, call.name);
      pushContent(contents, 'model', convertAssistant(message));
    }
  }
  return contents;
}

function pushContent(contents: GeminiContent[], role: GeminiContent['role'], parts: GeminiPart[]): void {
  // Gemini rejects empty text parts and contents without parts.
  const kept = parts.filter((part) => part.text === undefined || part.text !== '');
  if (kept.length > 0) contents.push({ role, parts: kept });
}

function convertUserPart(part: UserMessage['content'][number]): GeminiPart {
  if (part.type === 'text') return { text: part.text };
  if (part.type === 'file') return convertFile(part);
  return convertImage(part);
}

function convertAssistant(message: AssistantMessage): GeminiPart[] {
  const parts: GeminiPart[] = message.content.map((part) => ({ text: part.text }));
  (message.toolCalls ?? []).forEach((call, index) => {
    const part: GeminiPart = { functionCall: { name: call.name, args: parseArguments(call.arguments) } };
    const signature = call.providerMetadata?.gemini?.thoughtSignature;
    if (typeof signature === 'string' && signature !== '') part.thoughtSignature = signature;
    else if (index === 0) part.thoughtSignature = placeholderThoughtSignature;
    parts.push(part);
  });
  // A signature on a text answer goes back on its last text part; Gemini accepts the turn without it.
  const textSignature = message.reasoningParts?.find((part) => part.format === 'gemini' && part.signature)?.signature;
  const lastText = parts.filter((part) => part.text !== undefined && part.text !== '').at(-1);
  if (textSignature && lastText && (message.toolCalls ?? []).length === 0) lastText.thoughtSignature = textSignature;
  return parts;
}

function parseArguments(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : { value: parsed };
  } catch {
    throw new GatewayError('invalid_request', 'An assistant tool call in the conversation has arguments that are not valid JSON.', { param: 'messages' });
  }
}

/** Documents go inline or by URI like images: https://ai.google.dev/gemini-api/docs/document-processing */
function convertFile(file: FilePart): GeminiPart {
  if (file.text !== undefined) return { text: file.text };
  const mimeType = file.mediaType ?? 'application/pdf';
  if (file.data !== undefined) return { inlineData: { mimeType, data: file.data } };
  if (file.url !== undefined) return { fileData: { mimeType, fileUri: file.url } };
  throw new GatewayError('invalid_request', 'Gemini takes a document inline or by URI, not by file id.', { param: 'messages' });
}

function convertImage(image: ImagePart): GeminiPart {
  if (image.data !== undefined) return { inlineData: { mimeType: image.mediaType ?? 'image/jpeg', data: image.data } };
  const url = image.url ?? '';
  if (url.startsWith('data:')) return parseDataUrl(url);
  if (!url.startsWith('https://') && !url.startsWith('http://') && !url.startsWith('gs://')) {
    throw new GatewayError('invalid_request', 'An image must be an https URL or a base64 data URL.', { param: 'messages' });
  }
  return { fileData: { mimeType: image.mediaType ?? guessImageType(url), fileUri: url } };
}

function parseDataUrl(url: string): GeminiPart {
  const comma = url.indexOf(',');
  const header = comma === -1 ? '' : url.slice('data:'.length, comma);
  if (!header.endsWith(';base64')) {
    throw new GatewayError('invalid_request', 'An image data URL must be base64-encoded (data:<type>;base64,...).', { param: 'messages' });
  }
  const mimeType = header.slice(0, -';base64'.length) || 'image/jpeg';
  return { inlineData: { mimeType, data: url.slice(comma + 1) } };
}

const imageTypesByExtension: Array<[string, string]> = [
  ['.png', 'image/png'], ['.webp', 'image/webp'], ['.gif', 'image/gif'], ['.heic', 'image/heic'], ['.heif', 'image/heif'],
];

function guessImageType(url: string): string {
  let path = url.toLowerCase();
  try {
    path = new URL(url).pathname.toLowerCase();
  } catch {
    // Not a parsable URL; the extension check below still applies to the raw text.
  }
  return imageTypesByExtension.find(([extension]) => path.endsWith(extension))?.[1] ?? 'image/jpeg';
}

function convertTool(tool: ToolDefinition): GeminiFunctionDeclaration {
  const declaration: GeminiFunctionDeclaration = { name: tool.name };
  if (tool.description !== undefined) declaration.description = tool.description;
  const parameters = toGeminiParameters(tool.parameters);
  if (parameters !== undefined) declaration.parameters = parameters;
  return declaration;
}

function convertToolChoice(choice: ToolChoice): GeminiToolConfig {
  if (choice === 'auto') return { functionCallingConfig: { mode: 'AUTO' } };
  if (choice === 'none') return { functionCallingConfig: { mode: 'NONE' } };
  if (choice === 'required') return { functionCallingConfig: { mode: 'ANY' } };
  return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.name] } };
}

function convertGenerationConfig(request: ChatRequest, upstreamModel: string): GeminiGenerationConfig {
  const config: GeminiGenerationConfig = {};
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  if (request.maxTokens !== undefined) config.maxOutputTokens = request.maxTokens;
  if (request.stop !== undefined && request.stop.length > 0) config.stopSequences = request.stop;
  if (request.seed !== undefined) config.seed = request.seed;
  const format = request.responseFormat;
  if (format?.type === 'json') config.responseMimeType = 'application/json';
  if (format?.type === 'json-schema') {
    config.responseMimeType = 'application/json';
    config.responseSchema = toGeminiSchema(format.schema);
  }
  if (request.reasoningEffort !== undefined) config.thinkingConfig = thinkingConfigFor(request.reasoningEffort, upstreamModel);
  return config;
}

/** Token budgets per effort; `thinkingBudget` is understood by every Gemini thinking model (https://ai.google.dev/gemini-api/docs/thinking). */
const thinkingBudgets = new Map<string, number>([['none', 0], ['minimal', 128], ['low', 1024], ['medium', 8192], ['high', 24576], ['xhigh', 32768]]);

/**
 * Gemini 3 models take a thinking level instead of a budget and cannot turn thinking off: the lighter efforts ask
 * for `low`, the others for `high`, the two levels every Gemini 3 model knows.
 */
function thinkingConfigFor(effort: string, upstreamModel: string): GeminiThinkingConfig {
  if (/gemini-3/.test(upstreamModel)) {
    return { thinkingLevel: effort === 'none' || effort === 'minimal' || effort === 'low' ? 'low' : 'high', includeThoughts: true };
  }
  // Unknown efforts ask for dynamic thinking (-1), letting the model choose its budget.
  const budget = thinkingBudgets.get(effort) ?? -1;
  return { thinkingBudget: budget, includeThoughts: budget !== 0 };
}
