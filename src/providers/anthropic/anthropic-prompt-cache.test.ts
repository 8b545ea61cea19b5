import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatRequest } from '../../core/canonical.js';
import { anthropicRequestBody } from './anthropic-adapter.js';
import { addCacheBreakpoints } from './anthropic-prompt-cache.js';

const ephemeral = { type: 'ephemeral' };

test('the native body goes upstream unchanged apart from the model, unknown fields and beta features included', () => {
  const body = { model: 'claude', max_tokens: 64, thinking: { type: 'adaptive' }, output_config: { effort: 'high' }, context_management: { edits: [] }, future_field: 1, messages: [{ role: 'user', content: 'hi' }] };
  const request: ChatRequest = { model: 'claude', messages: [], stream: false, native: { format: 'anthropic', body } };
  assert.deepEqual(anthropicRequestBody(request, 'claude-sonnet-4-5'), { ...body, model: 'claude-sonnet-4-5' });
  assert.deepEqual(anthropicRequestBody({ ...request, stream: true }, 'm'), { ...body, model: 'm', stream: true });
});

test('automatic breakpoints go on the last two user turns, the system prompt and the tools, at most four counting the client markers', () => {
  const body = {
    system: 'Be brief.',
    tools: [{ name: 'a', input_schema: { type: 'object' } }],
    messages: [
      { role: 'user', content: 'one' },
      { role: 'assistant', content: [{ type: 'text', text: 'two' }] },
      { role: 'user', content: [{ type: 'text', text: 'three' }] },
    ],
  };
  const marked = addCacheBreakpoints(body);
  assert.deepEqual(marked.system, [{ type: 'text', text: 'Be brief.', cache_control: ephemeral }]);
  assert.deepEqual(marked.tools, [{ name: 'a', input_schema: { type: 'object' }, cache_control: ephemeral }]);
  assert.deepEqual(marked.messages, [
    { role: 'user', content: [{ type: 'text', text: 'one', cache_control: ephemeral }] },
    { role: 'assistant', content: [{ type: 'text', text: 'two' }] },
    { role: 'user', content: [{ type: 'text', text: 'three', cache_control: ephemeral }] },
  ]);
  assert.equal(body.system, 'Be brief.', 'the body passed in is not changed');
  const clientMarked = { ...body, system: [{ type: 'text', text: 'x', cache_control: { type: 'ephemeral', ttl: '1h' } }], tools: [{ name: 'a', cache_control: ephemeral }, { name: 'b', cache_control: ephemeral }] };
  const limited = addCacheBreakpoints(clientMarked);
  assert.deepEqual(limited.system, clientMarked.system);
  const messages = limited.messages as Array<{ content: string | Array<Record<string, unknown>> }>;
  const markers = (content: string | Array<Record<string, unknown>>) => (typeof content === 'string' ? 0 : content.filter((block) => block.cache_control).length);
  assert.deepEqual(messages.map((message) => markers(message.content)), [0, 0, 1]);
});
