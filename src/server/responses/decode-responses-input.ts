import type { AssistantMessage, ContentPart, Message, ReasoningPart, TextPart } from '../../core/canonical.js';
import { invalid, optionalString, requireArray, requireObject, requireString, type Json } from '../openai/field-reader.js';

/** A conversation decoded so far (a stored one, for `previous_response_id`), that further items continue. */
export interface ResponsesHistory {
  messages: Message[];
  /** Every `function_call` id in it, that a `function_call_output` may answer. */
  callIds: ReadonlySet<string>;
}

export const emptyHistory: ResponsesHistory = { messages: [], callIds: new Set() };

/** Decodes a Responses API `input` (a string or a list of items) into canonical messages, after those of `history`. */
export function decodeResponsesInput(input: unknown, history: ResponsesHistory = emptyHistory): Message[] {
  return decodeResponsesItems(input, history, 'input').messages;
}

/** Decodes items as if they followed `history`: a function call continues its last assistant message. */
export function decodeResponsesItems(input: unknown, history: ResponsesHistory, param: string): ResponsesHistory {
  const messages: Message[] = [...history.messages];
  if (typeof input === 'string') {
    messages.push({ role: 'user', content: [{ type: 'text', text: input }] });
    // A text input adds no call ids: the history's set is shared, never changed.
    return { messages, callIds: history.callIds };
  }
  const callIds = new Set(history.callIds);
  const items = requireArray(input, param);
  items.forEach((raw, index) => decodeItem(requireObject(raw, `${param}[${index}]`), `${param}[${index}]`, messages, callIds));
  return { messages, callIds };
}

function decodeItem(item: Json, param: string, messages: Message[], callIds: Set<string>): void {
  const type = item.type === undefined && item.role !== undefined ? 'message' : item.type;
  switch (type) {
    case 'message': messages.push(decodeMessage(item, param)); return;
    case 'function_call': {
      const callId = requireString(item.call_id, `${param}.call_id`);
      callIds.add(callId);
      lastAssistant(messages).toolCalls!.push({
        id: callId,
        name: requireString(item.name, `${param}.name`),
        arguments: requireString(item.arguments, `${param}.arguments`),
      });
      return;
    }
    case 'function_call_output': {
      const callId = requireString(item.call_id, `${param}.call_id`);
      if (!callIds.has(callId)) throw invalid(`${param}.call_id`, `no function_call with call_id '${callId}' was found in the input or the previous response.`);
      const output = typeof item.output === 'string' ? item.output : JSON.stringify(item.output);
      messages.push({ role: 'tool', toolCallId: callId, content: output });
      return;
    }
    case 'reasoning': lastAssistant(messages).reasoningParts!.push(decodeReasoning(item, param)); return;
    default: throw invalid(`${param}.type`, `unsupported input item type '${String(type)}'.`);
  }
}

/** The assistant message that function calls and reasoning items attach to, opened if the last message is not one. */
function lastAssistant(messages: Message[]): AssistantMessage {
  const last = messages[messages.length - 1];
  if (last?.role === 'assistant') {
    last.toolCalls ??= [];
    last.reasoningParts ??= [];
    return last;
  }
  const opened: AssistantMessage = { role: 'assistant', content: [], toolCalls: [], reasoningParts: [] };
  messages.push(opened);
  return opened;
}

function decodeReasoning(item: Json, param: string): ReasoningPart {
  const summary = item.summary === undefined ? [] : requireArray(item.summary, `${param}.summary`)
    .map((s, i) => requireString(requireObject(s, `${param}.summary[${i}]`).text, `${param}.summary[${i}].text`));
  const part: ReasoningPart = { text: summary.join('\n'), format: 'openai-responses', summary };
  const id = optionalString(item.id, `${param}.id`);
  const encrypted = optionalString(item.encrypted_content, `${param}.encrypted_content`);
  if (id !== undefined) part.id = id;
  if (encrypted !== undefined) part.encrypted = encrypted;
  return part;
}

function decodeMessage(item: Json, param: string): Message {
  const role = item.role;
  if (role === 'system' || role === 'developer') return { role: 'system', content: textOf(item.content, `${param}.content`) };
  if (role === 'assistant') {
    const content: TextPart[] = [{ type: 'text', text: textOf(item.content, `${param}.content`) }];
    return { role: 'assistant', content };
  }
  if (role === 'user') return { role: 'user', content: userParts(item.content, `${param}.content`) };
  throw invalid(`${param}.role`, `expected user, assistant, system or developer, got '${String(role)}'.`);
}

function textOf(content: unknown, param: string): string {
  if (typeof content === 'string') return content;
  return requireArray(content, param).map((raw, i) => {
    const part = requireObject(raw, `${param}[${i}]`);
    if (part.type === 'refusal') return requireString(part.refusal, `${param}[${i}].refusal`);
    if (part.type === 'input_text' || part.type === 'output_text') return requireString(part.text, `${param}[${i}].text`);
    throw invalid(`${param}[${i}].type`, `expected input_text, output_text or refusal, got '${String(part.type)}'.`);
  }).join('');
}

function userParts(content: unknown, param: string): ContentPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return requireArray(content, param).map((raw, i) => userPart(requireObject(raw, `${param}[${i}]`), `${param}[${i}]`));
}

function userPart(part: Json, param: string): ContentPart {
  if (part.type === 'input_text') return { type: 'text', text: requireString(part.text, `${param}.text`) };
  if (part.type === 'input_image') {
    const url = optionalString(part.image_url, `${param}.image_url`);
    const fileId = optionalString(part.file_id, `${param}.file_id`);
    if (url === undefined && fileId === undefined) throw invalid(`${param}.image_url`, 'an input_image needs image_url or file_id.');
    const detail = part.detail === 'low' || part.detail === 'high' || part.detail === 'auto' ? part.detail : undefined;
    return { type: 'image', url: url ?? `file:${fileId}`, ...(detail ? { detail } : {}) };
  }
  if (part.type === 'input_file') {
    const data = optionalString(part.file_data, `${param}.file_data`);
    const file: ContentPart = { type: 'file' };
    const fileId = optionalString(part.file_id, `${param}.file_id`);
    const url = optionalString(part.file_url, `${param}.file_url`);
    const filename = optionalString(part.filename, `${param}.filename`);
    if (fileId) file.fileId = fileId;
    if (url) file.url = url;
    if (filename) file.filename = filename;
    if (data) {
      const match = /^data:([^;]+);base64,(.*)$/s.exec(data);
      file.data = match ? match[2] : data;
      if (match) file.mediaType = match[1];
    }
    return file;
  }
  throw invalid(`${param}.type`, `expected input_text, input_image or input_file, got '${String(part.type)}'.`);
}
