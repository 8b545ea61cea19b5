import type { GatewayError } from '../../core/errors.js';
import type { ResponsesEcho } from './responses-codec.js';
import type { Json } from '../openai/field-reader.js';

/**
 * What the gateway owns in a Responses object that an OpenAI Responses-API provider made, and sets on the way out:
 * - `id`: the gateway's `resp_<request id>`, because the gateway, not the provider, answers `previous_response_id`
 *   and keeps the conversation (the provider is called with `store: false`, so its id would name nothing);
 * - `model`: the name the client asked for (a route or alias), as on every other ingress;
 * - `store` and `previous_response_id`: what the client sent, since the gateway changed both on the upstream call.
 * Everything else, output item ids included (reasoning items are sent back by id with their encrypted content), goes
 * to the client as the provider sent it.
 */
export interface OwnedFields {
  id: string;
  model: string;
  /** The request's echoed fields; only `store` and `previous_response_id` are the gateway's to set. */
  echo: Pick<ResponsesEcho, 'store' | 'previous_response_id'>;
}

const echoedByGateway = ['store', 'previous_response_id'] as const;

export function withOwnedFields(response: Json, owned: OwnedFields): Json {
  const out: Json = { ...response, id: owned.id, model: owned.model };
  for (const field of echoedByGateway) out[field] = owned.echo[field];
  return out;
}

function parseObject(data: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** Codes of a failed response: https://platform.openai.com/docs/api-reference/responses/object#responses/object-error */
export function responseErrorCode(error: GatewayError): string {
  return error.code === 'rate_limited' ? 'rate_limit_exceeded' : 'server_error';
}

const terminal = new Set(['response.completed', 'response.incomplete', 'response.failed']);

/**
 * Writes the events of an OpenAI Responses-API provider as they came (built-in tool items, annotations, reasoning
 * with encrypted content, events the gateway does not model), with the owned fields set on every response object
 * and the sequence numbers the stream's own, so that events of the gateway (a failure after an upstream cut) can
 * follow them and the numbering still counts up without gaps.
 */
export class NativeResponsesRelay {
  active = false;
  /** A terminal event (completed, incomplete, failed or error) was relayed: nothing may follow it. */
  ended = false;
  /** The last response object relayed (after the terminal event: the final response, as the client received it). */
  lastResponse: Json | undefined;
  private readonly doneItems: Json[] = [];

  constructor(
    private readonly owned: OwnedFields,
    private readonly nextSequence: () => number,
  ) {}

  write(data: string): string {
    this.active = true;
    if (this.ended) return '';
    const event = parseObject(data);
    if (!event || typeof event.type !== 'string') return '';
    const type = event.type;
    if (typeof event.response === 'object' && event.response !== null) {
      event.response = withOwnedFields(event.response as Json, this.owned);
      this.lastResponse = event.response as Json;
    }
    if (type === 'response.output_item.done' && typeof event.item === 'object' && event.item !== null) this.doneItems.push(event.item as Json);
    if (terminal.has(type) || type === 'error') this.ended = true;
    return frame(type, { ...event, sequence_number: this.nextSequence() });
  }

  /** The gateway's own end for a relayed stream that broke off: response.failed with the items finished so far. */
  fail(error: GatewayError, fallback: Json): string {
    if (this.ended) return '';
    this.ended = true;
    const base = this.lastResponse ?? withOwnedFields(fallback, this.owned);
    const response = { ...base, status: 'failed', output: this.doneItems, error: { code: responseErrorCode(error), message: error.message } };
    return frame('response.failed', { type: 'response.failed', response, sequence_number: this.nextSequence() });
  }
}

function frame(type: string, payload: Json): string {
  return `event: ${type}\ndata: ${JSON.stringify(payload)}\n\n`;
}
