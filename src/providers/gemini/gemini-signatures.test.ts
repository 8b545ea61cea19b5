import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatRequest } from '../../core/canonical.js';
import { convertToGeminiRequest } from './convert-to-gemini-request.js';
import { parseGeminiResponse } from './gemini-response.js';

const question = { role: 'user' as const, content: [{ type: 'text' as const, text: 'weather?' }] };

test('a function call keeps its thought signature and a text part its signature as a Gemini reasoning part', () => {
  const response = parseGeminiResponse({
    candidates: [{ content: { role: 'model', parts: [{ text: 'Looking.', thoughtSignature: 'TEXTSIG' }, { functionCall: { name: 'f', args: { a: 1 } }, thoughtSignature: 'CALLSIG' }, { functionCall: { name: 'g', args: {} } }] }, finishReason: 'STOP' }],
  }, 'gemini-3-pro-preview', 'gemini');
  assert.deepEqual(response.toolCalls.map((call) => call.providerMetadata), [{ gemini: { thoughtSignature: 'CALLSIG' } }, undefined]);
  assert.deepEqual(response.reasoningParts, [{ text: '', format: 'gemini', signature: 'TEXTSIG' }]);
  assert.equal(response.text, 'Looking.');
});

test('the real signature goes back on the call; the documented placeholder only when none is known', () => {
  const request: ChatRequest = {
    model: 'm',
    stream: false,
    messages: [
      question,
      { role: 'assistant', content: [], toolCalls: [{ id: 'a', name: 'f', arguments: '{}', providerMetadata: { gemini: { thoughtSignature: 'CALLSIG' } } }, { id: 'b', name: 'g', arguments: '{}' }] },
      { role: 'tool', toolCallId: 'a', content: 'x' },
      { role: 'tool', toolCallId: 'b', content: 'y' },
      { role: 'assistant', content: [], toolCalls: [{ id: 'c', name: 'f', arguments: '{}' }] },
      { role: 'tool', toolCallId: 'c', content: 'z' },
      { role: 'assistant', content: [{ type: 'text', text: 'Sunny.' }], reasoningParts: [{ text: '', format: 'gemini', signature: 'TEXTSIG' }, { text: 't', format: 'anthropic', signature: 'other' }] },
    ],
  };
  const contents = convertToGeminiRequest(request).contents;
  assert.deepEqual(contents[1]?.parts.map((part) => part.thoughtSignature), ['CALLSIG', undefined]);
  assert.deepEqual(contents[3]?.parts.map((part) => part.thoughtSignature), ['skip_thought_signature_validator']);
  assert.deepEqual(contents[5]?.parts, [{ text: 'Sunny.', thoughtSignature: 'TEXTSIG' }]);
});

test('Gemini 3 models get a thinking level, older ones a token budget', () => {
  const request: ChatRequest = { model: 'm', stream: false, messages: [question], reasoningEffort: 'medium' };
  assert.deepEqual(convertToGeminiRequest(request, 'gemini-3-pro-preview').generationConfig?.thinkingConfig, { thinkingLevel: 'high', includeThoughts: true });
  assert.deepEqual(convertToGeminiRequest({ ...request, reasoningEffort: 'minimal' }, 'gemini-3-flash-preview').generationConfig?.thinkingConfig, { thinkingLevel: 'low', includeThoughts: true });
  assert.deepEqual(convertToGeminiRequest(request, 'gemini-2.5-flash').generationConfig?.thinkingConfig, { thinkingBudget: 8192, includeThoughts: true });
});
