import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatRequest } from '../../core/canonical.js';
import { countCanonicalBreakpoints, withAutomaticBreakpoints } from './prompt-cache-breakpoints.js';

const tool = { name: 'lookup', parameters: { type: 'object' } };

function conversation(): ChatRequest {
  return {
    model: 'm',
    stream: false,
    tools: [tool],
    messages: [
      { role: 'system', content: 'Long rules.' },
      { role: 'user', content: [{ type: 'text', text: 'one' }, { type: 'text', text: '' }] },
      { role: 'assistant', content: [], toolCalls: [{ id: 'c1', name: 'lookup', arguments: '{}' }] },
      { role: 'tool', toolCallId: 'c1', content: 'found' },
      { role: 'assistant', content: [{ type: 'text', text: 'done' }] },
      { role: 'user', content: [{ type: 'text', text: 'two' }] },
    ],
  };
}

test('automatic breakpoints go on the newest user turn, the turn before it, the system prompt and the tools', () => {
  const request = conversation();
  const marked = withAutomaticBreakpoints(request);
  assert.deepEqual(marked.cacheTools, {});
  assert.deepEqual(marked.messages[0], { role: 'system', content: 'Long rules.', cache: {} });
  assert.deepEqual(marked.messages[1], request.messages[1], 'the first user turn is not one of the last two');
  assert.deepEqual(marked.messages[3], { role: 'tool', toolCallId: 'c1', content: 'found', cache: {} });
  assert.deepEqual(marked.messages[5], { role: 'user', content: [{ type: 'text', text: 'two', cache: {} }] });
  assert.equal(countCanonicalBreakpoints(marked), 4);
  assert.equal(countCanonicalBreakpoints(request), 0, 'the request passed in is not changed');
});

test('a blank text part is passed over for the part before it, and client markers count against the four', () => {
  const request: ChatRequest = {
    model: 'm',
    stream: false,
    tools: [tool],
    cacheTools: { ttl: '1h' },
    messages: [
      { role: 'system', content: 'Rules.', cache: { ttl: '1h' } },
      { role: 'user', content: [{ type: 'text', text: 'question' }, { type: 'text', text: '' }] },
    ],
  };
  const marked = withAutomaticBreakpoints(request);
  assert.deepEqual(marked.messages[1], { role: 'user', content: [{ type: 'text', text: 'question', cache: {} }, { type: 'text', text: '' }] });
  assert.deepEqual(marked.cacheTools, { ttl: '1h' }, 'client markers stay as they were');
  assert.deepEqual(marked.messages[0], request.messages[0]);
  const full: ChatRequest = { ...request, messages: [...request.messages, { role: 'assistant', content: [{ type: 'text', text: 'a', cache: {} }] }, { role: 'user', content: [{ type: 'text', text: 'b', cache: {} }] }] };
  assert.equal(countCanonicalBreakpoints(full), 4);
  assert.deepEqual(withAutomaticBreakpoints(full), full, 'no room is left');
});

test('no tools breakpoint is spent when the provider takes none there', () => {
  const marked = withAutomaticBreakpoints(conversation(), { tools: false });
  assert.equal(marked.cacheTools, undefined);
  assert.equal(countCanonicalBreakpoints(marked), 3);
});
