import assert from 'node:assert/strict';
import { GatewayError } from '../../../src/core/errors.js';
import { answer } from '../canonical-cases.js';
import { errorClasses, type ErrorClass } from '../wire-kit.js';
import { checkErrorEnvelope, checkResponse } from './event-schema.js';
import { encodeAnswer, writtenError } from './ingress-harness.js';
import { assertEnvelope, assertFunctionCalls, expectedUsage, messageText, type ResponsesCase } from './responses-case.js';

export const answerCases: ResponsesCase[] = [
  {
    id: 'response/text',
    title: 'a text answer becomes a completed Responses object with one message item and its usage',
    run(row) {
      const response = checkResponse(encodeAnswer(row, row.kit.responses.text), 'response');
      assertEnvelope(response, 'completed');
      assert.equal(response.error, null);
      assert.equal(response.incomplete_details, null);
      assert.deepEqual((response.output as { type: string }[]).map((item) => item.type), ['message']);
      assert.equal(messageText(response), answer.text);
      assert.deepEqual(response.usage, expectedUsage(answer.textUsage));
    },
  },
  {
    id: 'response/tool-calls',
    title: 'a tool-call answer becomes the preamble message and one function_call item per call, in order',
    run(row) {
      const response = checkResponse(encodeAnswer(row, row.kit.responses.toolCalls), 'response');
      assertEnvelope(response, 'completed');
      assert.deepEqual((response.output as { type: string }[]).map((item) => item.type), ['message', 'function_call', 'function_call']);
      assert.equal(messageText(response), answer.preamble);
      assertFunctionCalls(response, row.kit);
    },
  },
  {
    id: 'response/json',
    title: 'a JSON-mode answer becomes output text that parses to the JSON sent',
    run(row) {
      const response = checkResponse(encodeAnswer(row, row.kit.responses.json), 'response');
      assert.deepEqual(JSON.parse(messageText(response)), answer.json);
    },
  },
  {
    id: 'response/cached-usage',
    title: 'cached input tokens are reported in input_tokens_details and counted in input_tokens',
    sameAs: 'usage/cached',
    run(row) {
      const response = checkResponse(encodeAnswer(row, row.kit.responses.cachedUsage), 'response');
      assert.deepEqual(response.usage, expectedUsage(answer.cachedUsage, row.kit.expect.cacheWriteTokens));
    },
  },
];

/** The status and OpenAI error type each upstream failure reaches the client with (src/core/errors.ts). */
const expectedErrors: Record<ErrorClass, { statuses: number[]; type: string }> = {
  'context-length': { statuses: [400], type: 'invalid_request_error' },
  // The gateway's own provider credential was refused: the client's request was fine, so it is a bad gateway.
  authentication: { statuses: [502], type: 'api_error' },
  permission: { statuses: [403], type: 'permission_error' },
  'not-found': { statuses: [404], type: 'invalid_request_error' },
  'rate-limited': { statuses: [429], type: 'rate_limit_error' },
  'server-error': { statuses: [502], type: 'api_error' },
  overloaded: { statuses: [503, 529], type: 'api_error' },
};

function errorCase(errorClass: ErrorClass): ResponsesCase {
  const expected = expectedErrors[errorClass];
  return {
    id: `errors/${errorClass}`,
    title: `an upstream ${errorClass} answer reaches the client as OpenAI's error envelope with status ${expected.statuses.join(' or ')}`,
    sameAs: `errors/${errorClass}`,
    run(row) {
      const context = row.kit.errors[errorClass];
      const error = row.adapter.classifyError(context, row.kit.endpoint);
      assert.ok(error instanceof GatewayError);
      const written = writtenError(error);
      assert.ok(expected.statuses.includes(written.status), `status ${written.status} for an upstream ${context.status}`);
      const envelope = checkErrorEnvelope(written.body, 'body');
      assert.equal(envelope.type, expected.type);
      assert.equal(envelope.code, error.code);
      assert.equal(written.headers['content-type'], 'application/json');
      assert.ok(!(envelope.message as string).includes(row.kit.endpoint.apiKey ?? '\u0000'), 'the message does not carry the credential');
      assert.notEqual(envelope.message, context.body, 'the upstream body is not echoed as it came');
      if (errorClass === 'rate-limited' && row.kit.expect.retryAfterMs !== undefined) {
        assert.equal(written.headers['retry-after'], Math.ceil(row.kit.expect.retryAfterMs / 1000), 'the retry hint reaches the client as Retry-After');
      }
    },
  };
}

export const errorCases: ResponsesCase[] = errorClasses.map(errorCase);
