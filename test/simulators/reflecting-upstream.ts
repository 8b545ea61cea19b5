import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './loopback-server.js';

/** The error envelope a reflecting upstream answers in, after the provider it stands for. */
export type ReflectedFormat = 'openai' | 'anthropic' | 'gemini' | 'bedrock' | 'cohere';

/**
 * How a reflecting upstream fails. Every failure carries the whole request it received (headers, URL, body) in the
 * provider's own error envelope: the worst an upstream or a proxy in front of it can do with a credential.
 */
export type ReflectingBehaviour =
  | { kind: 'status'; status: number }
  /** 200, a first piece of content, then the provider's in-stream error event (OpenAI and Anthropic wire formats). */
  | { kind: 'stream-error' }
  /** 200 with a JSON content type and a body cut in the middle of a string holding the reflection. */
  | { kind: 'malformed' }
  | { kind: 'hang' }
  | { kind: 'reset' };

export interface ReflectingUpstream {
  url: string;
  /** Requests seen, with every header, so tests can check what reached the provider. */
  received: Array<{ path: string; headers: IncomingMessage['headers']; body: string }>;
  behave(behaviour: ReflectingBehaviour): void;
  close(): Promise<void>;
}

function reflectionOf(request: IncomingMessage, body: string): string {
  const headers = Object.entries(request.headers).map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : value ?? ''}`);
  return `request was ${request.method} ${request.url} with ${headers.join('; ')} and body ${body}`;
}

const statusNames: Record<number, { anthropic: string; gemini: string; bedrock: string }> = {
  400: { anthropic: 'invalid_request_error', gemini: 'INVALID_ARGUMENT', bedrock: 'ValidationException' },
  401: { anthropic: 'authentication_error', gemini: 'UNAUTHENTICATED', bedrock: 'UnrecognizedClientException' },
  403: { anthropic: 'permission_error', gemini: 'PERMISSION_DENIED', bedrock: 'AccessDeniedException' },
  404: { anthropic: 'not_found_error', gemini: 'NOT_FOUND', bedrock: 'ResourceNotFoundException' },
  429: { anthropic: 'rate_limit_error', gemini: 'RESOURCE_EXHAUSTED', bedrock: 'ThrottlingException' },
  500: { anthropic: 'api_error', gemini: 'INTERNAL', bedrock: 'InternalServerException' },
  503: { anthropic: 'overloaded_error', gemini: 'UNAVAILABLE', bedrock: 'ServiceUnavailableException' },
};

function errorAnswer(format: ReflectedFormat, status: number, message: string): { headers: Record<string, string>; body: unknown } {
  const names = statusNames[status] ?? { anthropic: 'api_error', gemini: 'UNKNOWN', bedrock: 'InternalServerException' };
  switch (format) {
    case 'openai':
      return { headers: {}, body: { error: { message, type: 'invalid_request_error', param: null, code: 'reflected' }, detail: message } };
    case 'anthropic':
      return { headers: {}, body: { type: 'error', error: { type: names.anthropic, message } } };
    case 'gemini':
      return { headers: {}, body: { error: { code: status, message, status: names.gemini } } };
    case 'bedrock':
      return { headers: { 'x-amzn-errortype': `${names.bedrock}:http://internal.amazon.com/coral/com.amazon.bedrock/` }, body: { message } };
    case 'cohere':
      return { headers: {}, body: { message } };
  }
}

function streamFrames(format: ReflectedFormat, message: string): string[] {
  if (format === 'anthropic') {
    return [
      `event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message: { id: 'msg_reflect', type: 'message', role: 'assistant', model: 'reflect', content: [], stop_reason: null, usage: { input_tokens: 3, output_tokens: 0 } } })}\n\n`,
      `event: content_block_start\ndata: ${JSON.stringify({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })}\n\n`,
      `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Partial ' } })}\n\n`,
      `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message } })}\n\n`,
    ];
  }
  return [
    `data: ${JSON.stringify({ id: 'chatcmpl-reflect', object: 'chat.completion.chunk', created: 1_760_000_000, model: 'reflect', choices: [{ index: 0, delta: { role: 'assistant', content: 'Partial ' }, finish_reason: null }] })}\n\n`,
    `data: ${JSON.stringify({ error: { message, type: 'server_error', code: 'reflected' } })}\n\n`,
  ];
}

function answer(format: ReflectedFormat, behaviour: ReflectingBehaviour, request: IncomingMessage, body: string, response: ServerResponse): void {
  const reflection = reflectionOf(request, body);
  switch (behaviour.kind) {
    case 'hang':
      return;
    case 'reset':
      request.socket.destroy();
      return;
    case 'malformed':
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(`{"id": "broken", "note": ${JSON.stringify(reflection).slice(0, -1)}`);
      return;
    case 'stream-error': {
      if (format !== 'openai' && format !== 'anthropic') return answer(format, { kind: 'status', status: 500 }, request, body, response);
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const frame of streamFrames(format, reflection)) response.write(frame);
      response.end();
      return;
    }
    case 'status': {
      const { headers, body: envelope } = errorAnswer(format, behaviour.status, reflection);
      // Reflected in headers too: a gateway must not pass upstream headers it does not know through to clients.
      response.writeHead(behaviour.status, { 'content-type': 'application/json', 'x-reflected-authorization': encodeURIComponent(String(request.headers.authorization ?? request.headers['x-api-key'] ?? '')), ...headers });
      response.end(JSON.stringify(envelope));
    }
  }
}

/** A loopback upstream that fails every request while reflecting it back, in one provider's error envelope. */
export async function startReflectingUpstream(format: ReflectedFormat): Promise<ReflectingUpstream> {
  let behaviour: ReflectingBehaviour = { kind: 'status', status: 400 };
  const received: ReflectingUpstream['received'] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ path: request.url ?? '', headers: request.headers, body });
      answer(format, behaviour, request, body, response);
    });
  });
  const listening = await listenOnLoopback(server);
  return {
    ...listening,
    received,
    behave(next) {
      behaviour = next;
    },
  };
}
