import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Message } from '../../core/canonical.js';
import { findPiiInMessages, redactMessages } from './redact-messages.js';

const awsKeyId = 'AKIA' + 'IOSFODNN7EXAMPLE';

function conversation(): Message[] {
  return [
    { role: 'system', content: 'You help the account owner jane.doe@example.com.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'My number is +44 20 7946 0958, please update it.' },
        { type: 'image', url: 'https://images.example.com/owner@example.com/scan.png', detail: 'low' },
      ],
    },
    {
      role: 'assistant',
      content: [{ type: 'text', text: 'Updating the record now.' }],
      reasoning: 'The request came from 203.0.113.7.',
      toolCalls: [
        { id: 'call_1', name: 'update_profile', arguments: '{"phone": "+44 20 7946 0958", "iban": "GB82WEST12345698765432"}' },
        { id: 'call_2', name: 'lookup', arguments: '{ "id": 42 }' },
      ],
    },
    { role: 'tool', toolCallId: 'call_1', content: `Saved. Audit key ${awsKeyId}, SSN on file 123-45-6789.` },
    { role: 'tool', toolCallId: 'call_2', content: 'No record.', isError: true },
  ];
}

test('kinds are found in every text a conversation carries, once each and in a fixed order', () => {
  assert.deepEqual(findPiiInMessages(conversation()), ['email', 'phone', 'iban', 'us-ssn', 'ip-address', 'secret']);
});

test('each place text can sit is looked at', () => {
  const cases: Array<[Message, string]> = [
    [{ role: 'system', content: 'jane@example.com' }, 'email'],
    [{ role: 'user', content: [{ type: 'text', text: 'call 415-555-2671' }] }, 'phone'],
    [{ role: 'assistant', content: [{ type: 'text', text: 'card 4111 1111 1111 1111' }] }, 'payment-card'],
    [{ role: 'assistant', content: [], reasoning: 'host 10.0.0.1' }, 'ip-address'],
    [{ role: 'assistant', content: [], toolCalls: [{ id: 'c', name: 'f', arguments: '{"ssn":"123-45-6789"}' }] }, 'us-ssn'],
    [{ role: 'tool', toolCallId: 'c', content: 'IBAN DE89 3704 0044 0532 0130 00' }, 'iban'],
  ];
  for (const [message, kind] of cases) assert.deepEqual(findPiiInMessages([message]), [kind], kind);
});

test('a conversation without personal data has no kinds, and images are not read', () => {
  const messages: Message[] = [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: [{ type: 'image', url: 'https://images.example.com/owner@example.com/a.png' }] },
    { role: 'user', content: [{ type: 'text', text: 'What changed in release 1.2.3.4.5 on 2024-01-15?' }] },
  ];
  assert.deepEqual(findPiiInMessages(messages), []);
  assert.deepEqual(findPiiInMessages([]), []);
});

test('tool-call arguments are read as JSON, so escapes do not hide what they hold', () => {
  const message: Message = {
    role: 'assistant',
    content: [],
    toolCalls: [{ id: 'c', name: 'charge', arguments: '{"note":"card:\\t4111111111111111"}' }],
  };
  assert.deepEqual(findPiiInMessages([message]), ['payment-card']);
});

test('redaction replaces findings everywhere and leaves everything else as it was', () => {
  const result = redactMessages(conversation());
  assert.deepEqual(result.kinds, ['email', 'phone', 'iban', 'us-ssn', 'ip-address', 'secret']);
  assert.deepEqual(result.messages, [
    { role: 'system', content: 'You help the account owner [REDACTED_EMAIL].' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'My number is [REDACTED_PHONE], please update it.' },
        { type: 'image', url: 'https://images.example.com/owner@example.com/scan.png', detail: 'low' },
      ],
    },
    {
      role: 'assistant',
      content: [{ type: 'text', text: 'Updating the record now.' }],
      reasoning: 'The request came from [REDACTED_IP_ADDRESS].',
      toolCalls: [
        { id: 'call_1', name: 'update_profile', arguments: '{"phone":"[REDACTED_PHONE]","iban":"[REDACTED_IBAN]"}' },
        { id: 'call_2', name: 'lookup', arguments: '{ "id": 42 }' },
      ],
    },
    { role: 'tool', toolCallId: 'call_1', content: 'Saved. Audit key [REDACTED_SECRET], SSN on file [REDACTED_US_SSN].' },
    { role: 'tool', toolCallId: 'call_2', content: 'No record.', isError: true },
  ]);
});

test('redaction never modifies the input and returns new objects', () => {
  const input = conversation();
  const snapshot = structuredClone(input);
  const result = redactMessages(input);
  assert.deepEqual(input, snapshot);
  assert.equal(result.messages.length, input.length);
  result.messages.forEach((message, index) => assert.notEqual(message, input[index]));
  const userIn = input[1] as Extract<Message, { role: 'user' }>;
  const userOut = result.messages[1] as Extract<Message, { role: 'user' }>;
  assert.notEqual(userOut.content, userIn.content);
  assert.notEqual(userOut.content[1], userIn.content[1]);
  const assistantIn = input[2] as Extract<Message, { role: 'assistant' }>;
  const assistantOut = result.messages[2] as Extract<Message, { role: 'assistant' }>;
  assert.notEqual(assistantOut.toolCalls, assistantIn.toolCalls);
  assert.notEqual(assistantOut.toolCalls?.[1], assistantIn.toolCalls?.[1]);
});

test('redacted tool-call arguments stay valid JSON', () => {
  const argumentsText = JSON.stringify({
    to: 'line one\nuser@example.com',
    card: 4111111111111111,
    __proto__key: 'x',
    nested: [{ ip: '10.0.0.1' }, true, null, 3.5],
  }).replace('__proto__key', '__proto__');
  const { messages, kinds } = redactMessages([
    { role: 'assistant', content: [], toolCalls: [{ id: 'c', name: 'send', arguments: argumentsText }] },
  ]);
  assert.deepEqual(kinds, ['email', 'payment-card', 'ip-address']);
  const redacted = (messages[0] as Extract<Message, { role: 'assistant' }>).toolCalls?.[0]?.arguments ?? '';
  assert.equal(
    redacted,
    '{"to":"line one\\n[REDACTED_EMAIL]","card":"[REDACTED_PAYMENT_CARD]","__proto__":"x","nested":[{"ip":"[REDACTED_IP_ADDRESS]"},true,null,3.5]}',
  );
});

test('arguments that are not JSON are redacted as text', () => {
  const { messages, kinds } = redactMessages([
    { role: 'assistant', content: [], toolCalls: [{ id: 'c', name: 'send', arguments: '{"to": "jane@example.com", "bo' }] },
  ]);
  assert.deepEqual(kinds, ['email']);
  assert.equal((messages[0] as Extract<Message, { role: 'assistant' }>).toolCalls?.[0]?.arguments, '{"to": "[REDACTED_EMAIL]", "bo');
});

test('a conversation without personal data comes back equal, with no kinds', () => {
  const messages: Message[] = [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
    { role: 'assistant', content: [{ type: 'text', text: 'Hello' }], toolCalls: [{ id: 'c', name: 'f', arguments: '{ "a" : 1 }' }] },
  ];
  const result = redactMessages(messages);
  assert.deepEqual(result, { messages, kinds: [] });
});
