import type { ProviderMetadata, ReasoningPart, ToolCall } from '../../core/canonical.js';
import type { StoredResponse } from '../../store/store.js';
import type { Json } from '../openai/field-reader.js';
import { decodeResponsesItems, emptyHistory, type ResponsesHistory } from './decode-responses-input.js';

/**
 * What the output items of a stored response cannot say: the canonical reasoning part behind each reasoning item (its
 * format, Anthropic signature, ...) and the provider metadata of each function call (a Gemini thought signature).
 */
export interface StoredCarry {
  reasoning: Record<string, ReasoningPart>;
  calls: Record<string, ProviderMetadata>;
}

/** The item types the decoder models; a stored output item of another type (a relayed built-in tool call) is skipped. */
const decodedTypes = new Set(['message', 'function_call', 'function_call_output', 'reasoning']);

const idPrefixes: Record<string, string> = { message: 'msg', function_call: 'fc', function_call_output: 'fco', reasoning: 'rs' };

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function contentParts(content: unknown, role: unknown): unknown {
  if (typeof content !== 'string') return content;
  return role === 'assistant' ? [{ type: 'output_text', text: content, annotations: [] }] : [{ type: 'input_text', text: content }];
}

/** A request's `input` as the items `input_items` lists: every item typed, with an id, and message text as parts. */
export function normaliseInputItems(input: unknown, responseId: string): Json[] {
  const items: unknown[] = typeof input === 'string' ? [{ type: 'message', role: 'user', content: input }] : Array.isArray(input) ? input : [];
  const suffix = responseId.slice('resp_'.length);
  return items.filter(isObject).map((item, index) => {
    const type = typeof item.type === 'string' ? item.type : 'message';
    const normalised: Json = { ...item, type };
    if (typeof normalised.id !== 'string') normalised.id = `${idPrefixes[type] ?? 'item'}_${suffix}_in${index}`;
    if (type === 'message') {
      normalised.content = contentParts(item.content, item.role);
      normalised.status ??= 'completed';
    }
    return normalised;
  });
}

/** Pairs the output items of a response object with the canonical parts they were encoded from. */
export function carryOf(response: Json, reasoningParts: ReasoningPart[], toolCalls: ToolCall[]): StoredCarry {
  const carry: StoredCarry = { reasoning: {}, calls: {} };
  const output = Array.isArray(response.output) ? response.output.filter(isObject) : [];
  let reasoningIndex = 0;
  for (const item of output) {
    if (item.type === 'reasoning' && typeof item.id === 'string') {
      const part = reasoningParts[reasoningIndex++];
      if (part) carry.reasoning[item.id] = part;
    }
    if (item.type === 'function_call') {
      const metadata = toolCalls.find((call) => call.id === item.call_id)?.providerMetadata;
      if (metadata && typeof item.call_id === 'string') carry.calls[item.call_id] = metadata;
    }
  }
  return carry;
}

function storedCarry(value: unknown): StoredCarry {
  const carry = isObject(value) ? value : {};
  return { reasoning: isObject(carry.reasoning) ? (carry.reasoning as StoredCarry['reasoning']) : {}, calls: isObject(carry.calls) ? (carry.calls as StoredCarry['calls']) : {} };
}

/** Puts back what the wire items lost: the canonical reasoning parts by item id, the provider metadata by call id. */
function restore(history: ResponsesHistory, carry: StoredCarry): void {
  for (const message of history.messages) {
    if (message.role !== 'assistant') continue;
    message.reasoningParts = message.reasoningParts?.map((part) => (part.id !== undefined && carry.reasoning[part.id]) || part);
    for (const call of message.toolCalls ?? []) {
      const metadata = carry.calls[call.id];
      if (metadata) call.providerMetadata = metadata;
    }
  }
}

/**
 * A stored conversation, oldest response first, as the history the next request's input continues: each response's
 * input items, then its output items. Earlier `instructions` are not carried over, as OpenAI documents.
 */
export function historyOfChain(chain: StoredResponse[]): ResponsesHistory {
  const items: Json[] = [];
  const carry: StoredCarry = { reasoning: {}, calls: {} };
  for (const entry of chain) {
    const response = isObject(entry.response) ? entry.response : {};
    const output = Array.isArray(response.output) ? response.output : [];
    items.push(...[...entry.inputItems, ...output].filter(isObject).filter((item) => decodedTypes.has(String(item.type ?? 'message'))));
    const stored = storedCarry(entry.carry);
    Object.assign(carry.reasoning, stored.reasoning);
    Object.assign(carry.calls, stored.calls);
  }
  if (items.length === 0) return emptyHistory;
  const history = decodeResponsesItems(items, emptyHistory, 'previous_response_id');
  restore(history, carry);
  return history;
}
