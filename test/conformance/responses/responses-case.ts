import assert from 'node:assert/strict';
import { answer, type UsageCounts } from '../canonical-cases.js';
import type { ConformanceRow } from '../rows.js';
import type { WireKit } from '../wire-kit.js';
import type { Json } from './event-schema.js';
import { clientModel, requestId } from './ingress-harness.js';

/** One Responses-ingress case, run against every row. */
export interface ResponsesCase {
  id: string;
  title: string;
  /** The chat case this one rests on: where the chat suite skips it for a row, so does this suite, with its reason. */
  sameAs?: string;
  notApplicable?(row: ConformanceRow): string | undefined;
  run(row: ConformanceRow): void;
}

export const responseId = `resp_${requestId}`;

/** Input tokens on this API include the cached ones (https://platform.openai.com/docs/api-reference/responses/object#responses/object-usage). */
export function expectedUsage(counts: UsageCounts, cacheWrite = 0): Json {
  const input = counts.input + counts.cacheRead + cacheWrite;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: counts.cacheRead },
    output_tokens: counts.output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + counts.output,
  };
}

/** The fields every Responses object carries for this client, whoever answered: the gateway's id and the client's model. */
export function assertEnvelope(response: Json, status: string): void {
  assert.equal(response.id, responseId, 'the response id is the gateway one');
  assert.equal(response.model, clientModel, 'the model is the one the client asked for');
  assert.equal(response.status, status);
  assert.equal(response.max_output_tokens, 300, 'max_output_tokens is echoed');
  assert.deepEqual((response.tools as Json[]).map((tool) => tool.name), ['get_weather', 'get_local_time'], 'the tools are echoed');
}

export function messageText(response: Json): string {
  return (response.output as Json[])
    .filter((item) => item.type === 'message')
    .flatMap((item) => item.content as Json[])
    .map((part) => (part.type === 'output_text' ? (part.text as string) : ''))
    .join('');
}

/** The function_call items hold the provider's calls: ids where the wire has them, names and arguments as sent. */
export function assertFunctionCalls(response: Json, kit: WireKit): void {
  const calls = (response.output as Json[]).filter((item) => item.type === 'function_call');
  assert.deepEqual(calls.map((call) => call.name), answer.toolCalls.map((call) => call.name));
  calls.forEach((call, index) => assert.deepEqual(JSON.parse(call.arguments as string), answer.toolCalls[index]?.arguments, `arguments of ${String(call.name)}`));
  if (kit.expect.toolCallIds === 'generated') assert.equal(new Set(calls.map((call) => call.call_id)).size, calls.length, 'call ids are distinct');
  else assert.deepEqual(calls.map((call) => call.call_id), [...kit.expect.toolCallIds]);
  assert.ok(calls.every((call) => call.status === 'completed'), 'every function call is completed');
}

/** A response object without what may differ between two answers to the same request: timestamps, ids, generated call ids. */
export function comparable(response: Json, kit: WireKit): Json {
  const output = (response.output as Json[]).map((item, index) => {
    const copy: Json = { ...item, id: `item ${index}` };
    if (item.type === 'function_call' && kit.expect.toolCallIds === 'generated') copy.call_id = 'generated';
    return copy;
  });
  const { created_at: _created, completed_at: _completed, ...rest } = response;
  return { ...rest, id: 'response', output };
}
