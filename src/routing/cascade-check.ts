import type { ChatRequest, ChatResponse } from '../core/canonical.js';

const refusal = /^\s*(i'?m sorry|i am sorry|i can(?:'|no)t (?:help|assist|comply)|i am unable to|i'?m unable to|as an ai\b)/i;

function validJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function missingRequired(text: string, schema: Record<string, unknown>): string[] {
  const required = Array.isArray(schema.required) ? schema.required.filter((name): name is string => typeof name === 'string') : [];
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null) return required;
  return required.filter((name) => !(name in value));
}

/**
 * A cascade's acceptance check: an answer moves the request on to the next target when it is empty, a refusal,
 * or not the JSON (with the schema's required fields) that the request asked for. Returns the reason, or undefined.
 */
export function cascadeCheck(request: ChatRequest): (response: ChatResponse) => string | undefined {
  return (response) => {
    if (response.finishReason === 'content-filter') return 'content filtered';
    if (response.toolCalls.length > 0) return undefined;
    if (response.text.trim() === '') return 'empty answer';
    if (refusal.test(response.text)) return 'refusal';
    const format = request.responseFormat;
    if (format?.type === 'json' || format?.type === 'json-schema') {
      if (!validJson(response.text)) return 'invalid JSON';
      if (format.type === 'json-schema') {
        const missing = missingRequired(response.text, format.schema);
        if (missing.length > 0) return `JSON lacks required fields: ${missing.join(', ')}`;
      }
    }
    return undefined;
  };
}
