import type { AssistantMessage, ContentPart, Message, SystemMessage } from '../core/canonical.js';
import type { DatasetItem } from './dataset.js';

/** One exported line, or why the item cannot be written in the format. Skips are counted by reason, never dropped. */
export type ExportResult = { line: Record<string, unknown> } | { skip: string };

/** Thrown inside a format's converter to skip the item with a reason. */
export class SkipItem extends Error {}

export function skip(reason: string): never {
  throw new SkipItem(reason);
}

/** Runs a converter, turning a `SkipItem` into a skip result. */
export function attempt(convert: () => Record<string, unknown>): ExportResult {
  try {
    return { line: convert() };
  } catch (error) {
    if (error instanceof SkipItem) return { skip: error.message };
    throw error;
  }
}

/** The reference answer as the final assistant turn: the conversation a training example teaches. */
export function trainingConversation(item: DatasetItem): Message[] {
  const reference = item.reference;
  if (!reference) skip('no reference answer');
  if (reference.text === '' && reference.toolCalls.length === 0) skip('empty reference answer');
  const answer: AssistantMessage = { role: 'assistant', content: reference.text === '' ? [] : [{ type: 'text', text: reference.text }] };
  if (reference.toolCalls.length > 0) answer.toolCalls = reference.toolCalls;
  return [...item.request.messages, answer];
}

/**
 * Splits leading system messages off for formats that take one system prompt before the conversation; a system
 * message after the first turn has no place in them.
 */
export function leadingSystem(messages: Message[]): { system: string | undefined; rest: Message[] } {
  let index = 0;
  const parts: string[] = [];
  while (index < messages.length && messages[index]?.role === 'system') {
    parts.push((messages[index] as SystemMessage).content);
    index += 1;
  }
  const rest = messages.slice(index);
  if (rest.some((message) => message.role === 'system')) skip('system message after the first turn');
  return { system: parts.length > 0 ? parts.join('\n\n') : undefined, rest };
}

export function textOf(parts: ContentPart[]): string {
  return parts.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}

/** Tool-call arguments as a JSON object, for formats that carry them parsed. */
export function argumentsObject(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text === '' ? '{}' : text);
  } catch {
    skip('tool call arguments are not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) skip('tool call arguments are not a JSON object');
  return parsed as Record<string, unknown>;
}

/** Names of the calls each tool result answers; a result whose call is not earlier in the conversation is skipped. */
export function toolCallNames(messages: Message[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const message of messages) {
    if (message.role === 'assistant') for (const call of message.toolCalls ?? []) names.set(call.id, call.name);
    if (message.role === 'tool' && !names.has(message.toolCallId)) skip('tool result without its call');
  }
  return names;
}
