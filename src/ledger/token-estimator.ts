import { createRequire } from 'node:module';
import type { ChatRequest } from '../core/canonical.js';

interface Encoder {
  encode(text: string): number[];
}

let encoder: Encoder | undefined;

/** Loaded on first use only: most providers report usage, so most processes never pay for the tokenizer tables. */
function getEncoder(): Encoder {
  if (!encoder) {
    const require = createRequire(import.meta.url);
    const { Tiktoken } = require('js-tiktoken/lite') as { Tiktoken: new (ranks: unknown) => Encoder };
    const ranks = require('js-tiktoken/ranks/o200k_base') as { default?: unknown };
    encoder = new Tiktoken(ranks.default ?? ranks);
  }
  return encoder;
}

export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  return getEncoder().encode(text).length;
}

/** Per-message framing tokens, as OpenAI documents for chat models. */
const perMessageOverhead = 3;

export function countRequestTokens(request: ChatRequest): number {
  let total = 3;
  for (const message of request.messages) {
    total += perMessageOverhead;
    if (message.role === 'system' || message.role === 'tool') total += countTokens(message.content);
    else if (message.role === 'user') for (const part of message.content) total += part.type === 'text' ? countTokens(part.text) : 85;
    else {
      for (const part of message.content) total += countTokens(part.text);
      for (const call of message.toolCalls ?? []) total += countTokens(call.name) + countTokens(call.arguments);
    }
  }
  if (request.tools) total += countTokens(JSON.stringify(request.tools));
  return total;
}

/** A cheap size estimate for routing decisions (about four characters a token), no tokenizer involved. */
export function roughRequestTokens(request: ChatRequest): number {
  let characters = 0;
  for (const message of request.messages) {
    if (message.role === 'system' || message.role === 'tool') characters += message.content.length;
    else for (const part of message.content) characters += part.type === 'text' ? part.text.length : 340;
  }
  return Math.ceil(characters / 4);
}
