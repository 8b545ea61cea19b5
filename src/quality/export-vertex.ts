import type { ContentPart, Message, ToolDefinition } from '../core/canonical.js';
import { toGeminiParameters } from '../providers/gemini/gemini-schema.js';
import type { DatasetItem } from './dataset.js';
import { argumentsObject, attempt, leadingSystem, skip, toolCallNames, trainingConversation, type ExportResult } from './export-conversation.js';

type Part = Record<string, unknown>;

interface Content {
  role: 'user' | 'model';
  parts: Part[];
}

const imageTypes: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif', pdf: 'application/pdf' };

function mediaTypeOf(url: string, given: string | undefined): string {
  if (given) return given;
  const extension = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(url)?.[1]?.toLowerCase();
  return (extension && imageTypes[extension]) || skip('media without a media type');
}

/** The tuning format names media by `fileData` (a Cloud Storage or https URI); inline data has no place in it. */
function mediaPart(part: Exclude<ContentPart, { type: 'text' }>): Part {
  if (part.type === 'file' && part.text !== undefined && !part.url && !part.data) return { text: part.text };
  if (!part.url || part.url.startsWith('data:')) skip('inline media (Vertex tuning takes media by fileUri only)');
  return { fileData: { mimeType: mediaTypeOf(part.url, part.mediaType), fileUri: part.url } };
}

function contentOf(message: Exclude<Message, { role: 'system' }>, callNames: Map<string, string>): Content {
  if (message.role === 'user') return { role: 'user', parts: message.content.map((part) => (part.type === 'text' ? { text: part.text } : mediaPart(part))) };
  if (message.role === 'tool') {
    let response: unknown;
    try {
      response = JSON.parse(message.content);
    } catch {
      response = undefined;
    }
    const body = typeof response === 'object' && response !== null && !Array.isArray(response) ? response : { content: message.content };
    return { role: 'user', parts: [{ functionResponse: { name: callNames.get(message.toolCallId), response: body } }] };
  }
  const parts: Part[] = message.content.filter((part) => part.text !== '').map((part) => ({ text: part.text }));
  for (const call of message.toolCalls ?? []) parts.push({ functionCall: { name: call.name, args: argumentsObject(call.arguments) } });
  if (parts.length === 0) skip('empty assistant message');
  return { role: 'model', parts };
}

function vertexTools(tools: ToolDefinition[]): Array<Record<string, unknown>> {
  const functionDeclarations = tools.map((tool) => {
    const parameters = toGeminiParameters(tool.parameters);
    return { name: tool.name, ...(tool.description === undefined ? {} : { description: tool.description }), ...(parameters ? { parameters } : {}) };
  });
  return [{ functionDeclarations }];
}

/**
 * Vertex AI Gemini supervised tuning JSONL: optional `systemInstruction`, `contents` of `user` and `model` turns
 * (function calls in model turns, function responses in user turns), and `tools` as function declarations
 * (https://cloud.google.com/vertex-ai/generative-ai/docs/models/gemini-supervised-tuning-prepare,
 * https://cloud.google.com/vertex-ai/generative-ai/docs/models/tune-function-calling). Consecutive turns of one role
 * are merged, so roles alternate.
 */
export function toVertexLine(item: DatasetItem): ExportResult {
  return attempt(() => {
    const conversation = trainingConversation(item);
    const callNames = toolCallNames(conversation);
    const { system, rest } = leadingSystem(conversation);
    const contents: Content[] = [];
    for (const message of rest) {
      if (message.role === 'system') continue;
      const content = contentOf(message, callNames);
      const last = contents.at(-1);
      if (last && last.role === content.role) last.parts.push(...content.parts);
      else contents.push(content);
    }
    if (contents[0]?.role !== 'user') skip('conversation does not start with a user message');
    const line: Record<string, unknown> = {};
    if (system !== undefined) line.systemInstruction = { parts: [{ text: system }] };
    line.contents = contents;
    if (item.request.tools?.length) line.tools = vertexTools(item.request.tools);
    return line;
  });
}
