import type { ChatRequest, Message } from '../core/canonical.js';

/** Message text in the shape of the GenAI conventions' `gen_ai.input.messages` and `gen_ai.output.messages`. */
interface TracedMessage {
  role: string;
  parts: Array<Record<string, unknown>>;
  finish_reason?: string;
}

function partsOf(message: Message): TracedMessage['parts'] {
  if (message.role === 'tool') return [{ type: 'tool_call_response', id: message.toolCallId, response: message.content }];
  if (message.role === 'system') return [{ type: 'text', content: message.content }];
  const parts: TracedMessage['parts'] = [];
  for (const part of message.content) {
    if (part.type === 'text') parts.push({ type: 'text', content: part.text });
    else parts.push({ type: part.type });
  }
  if (message.role === 'assistant') for (const call of message.toolCalls ?? []) parts.push({ type: 'tool_call', id: call.id, name: call.name, arguments: call.arguments });
  return parts;
}

/** The request's messages; images and files are named by type only, never copied into a span. */
export function inputMessages(request: ChatRequest): string {
  return JSON.stringify(request.messages.map((message): TracedMessage => ({ role: message.role, parts: partsOf(message) })));
}

export function outputMessages(text: string, finishReasons: string[]): string {
  const message: TracedMessage = { role: 'assistant', parts: [{ type: 'text', content: text }] };
  if (finishReasons[0]) message.finish_reason = finishReasons[0];
  return JSON.stringify([message]);
}
