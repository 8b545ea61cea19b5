import type { ContentPart, Message, ToolDefinition } from '../core/canonical.js';
import type { DatasetItem } from './dataset.js';
import { argumentsObject, attempt, skip, toolCallNames, trainingConversation, type ExportResult } from './export-conversation.js';

interface EncodeOptions {
  /** Documents as OpenAI `file` parts; fine-tuning refuses them, evaluation lines keep them. */
  files: boolean;
}

function imageUrl(part: Extract<ContentPart, { type: 'image' }>): string {
  if (part.url) return part.url;
  if (part.data && part.mediaType) return `data:${part.mediaType};base64,${part.data}`;
  return skip('image without a URL or media type');
}

function encodePart(part: ContentPart, options: EncodeOptions): Record<string, unknown> {
  if (part.type === 'text') return { type: 'text', text: part.text };
  if (part.type === 'image') return { type: 'image_url', image_url: { url: imageUrl(part), ...(part.detail ? { detail: part.detail } : {}) } };
  // Fine-tuning lines take text and image content only (https://platform.openai.com/docs/api-reference/fine-tuning/chat-input).
  if (!options.files) skip('file parts (OpenAI fine-tuning takes text and images only)');
  if (part.text !== undefined && !part.data && !part.fileId) return { type: 'text', text: part.text };
  const file: Record<string, unknown> = {};
  if (part.fileId) file.file_id = part.fileId;
  else if (part.data) file.file_data = `data:${part.mediaType ?? 'application/octet-stream'};base64,${part.data}`;
  else skip('file part with neither data nor file id');
  if (part.filename) file.filename = part.filename;
  return { type: 'file', file };
}

function encodeUserContent(parts: ContentPart[], options: EncodeOptions): string | Array<Record<string, unknown>> {
  if (parts.length === 1 && parts[0]?.type === 'text') return parts[0].text;
  return parts.map((part) => encodePart(part, options));
}

/** Canonical messages as OpenAI chat messages: `tool_calls[].function.arguments` stays the JSON text the model wrote. */
export function openAiMessages(messages: Message[], options: EncodeOptions): Array<Record<string, unknown>> {
  return messages.map((message) => {
    switch (message.role) {
      case 'system':
        return { role: 'system', content: message.content };
      case 'user':
        return { role: 'user', content: encodeUserContent(message.content, options) };
      case 'tool':
        return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
      case 'assistant': {
        const text = message.content.map((part) => part.text).join('');
        const encoded: Record<string, unknown> = { role: 'assistant' };
        if (text !== '' || !message.toolCalls?.length) encoded.content = text;
        if (message.toolCalls?.length) {
          encoded.tool_calls = message.toolCalls.map((call) => {
            argumentsObject(call.arguments);
            return { id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments === '' ? '{}' : call.arguments } };
          });
        }
        return encoded;
      }
    }
  });
}

export function openAiTools(tools: ToolDefinition[]): Array<Record<string, unknown>> {
  return tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, ...(tool.description === undefined ? {} : { description: tool.description }), parameters: tool.parameters },
  }));
}

/**
 * OpenAI chat fine-tuning JSONL (also taken by Azure OpenAI, Together and Fireworks): `messages` ending with the
 * reference answer as the assistant turn, and the `tools` the conversation could call.
 */
export function toOpenAiLine(item: DatasetItem): ExportResult {
  return attempt(() => {
    const conversation = trainingConversation(item);
    toolCallNames(conversation);
    for (const [index, message] of conversation.entries()) {
      if (message.role === 'assistant' && index < conversation.length - 1 && message.content.length === 0 && !message.toolCalls?.length) skip('empty assistant message');
    }
    const line: Record<string, unknown> = { messages: openAiMessages(conversation, { files: false }) };
    if (item.request.tools?.length) line.tools = openAiTools(item.request.tools);
    if (item.request.parallelToolCalls !== undefined) line.parallel_tool_calls = item.request.parallelToolCalls;
    return line;
  });
}
