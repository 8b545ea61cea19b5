import { Agent, request as httpRequest } from 'node:http';
import { LatencyRecorder, type LatencySummary } from './load.js';

/** One streamed answer (Chat Completions or Responses events) as the client saw it. */
export interface StreamOutcome {
  status: number;
  /** Request sent to the first content delta. */
  firstChunkMs: number;
  /** Request sent to the end of the response. */
  lastChunkMs: number;
  contentChunks: number;
  sawDone: boolean;
  sawUsage: boolean;
  error: string | undefined;
}

export interface StreamTarget {
  url: string;
  headers: Record<string, string>;
}

function readEvent(event: string, outcome: StreamOutcome, onContent: () => void): void {
  for (const line of event.split('\n')) {
    if (!line.startsWith('data:')) continue;
    const data = line.slice(5).trim();
    if (data === '[DONE]') {
      outcome.sawDone = true;
      continue;
    }
    const parsed = JSON.parse(data) as { type?: string; delta?: unknown; response?: { usage?: unknown }; choices?: Array<{ delta?: { content?: unknown } }>; usage?: unknown };
    if (parsed.usage) outcome.sawUsage = true;
    // Responses API streams end with response.completed (which carries the usage) instead of [DONE].
    if (parsed.type === 'response.completed') {
      outcome.sawDone = true;
      if (parsed.response?.usage) outcome.sawUsage = true;
    }
    const content = parsed.type === 'response.output_text.delta' ? parsed.delta : parsed.choices?.[0]?.delta?.content;
    if (typeof content === 'string' && content.length > 0) {
      outcome.contentChunks += 1;
      onContent();
    }
  }
}

/** Sends one streamed request and times the first content delta and the end of the stream. */
export function streamOnce(target: StreamTarget, body: string, agent: Agent, timeoutMs = 60_000): Promise<StreamOutcome> {
  const url = new URL(target.url);
  const outcome: StreamOutcome = { status: 0, firstChunkMs: NaN, lastChunkMs: NaN, contentChunks: 0, sawDone: false, sawUsage: false, error: undefined };
  return new Promise((resolve) => {
    const begin = performance.now();
    let settled = false;
    const finish = (error?: string) => {
      if (settled) return;
      settled = true;
      outcome.lastChunkMs = performance.now() - begin;
      if (error) outcome.error = error;
      resolve(outcome);
    };
    const request = httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { ...target.headers, 'content-length': Buffer.byteLength(body) }, timeout: timeoutMs },
      (response) => {
        outcome.status = response.statusCode ?? 0;
        response.setEncoding('utf8');
        let buffer = '';
        response.on('data', (text: string) => {
          buffer += text;
          let boundary = buffer.indexOf('\n\n');
          while (boundary !== -1) {
            const event = buffer.slice(0, boundary);
            buffer = buffer.slice(boundary + 2);
            try {
              readEvent(event, outcome, () => {
                if (Number.isNaN(outcome.firstChunkMs)) outcome.firstChunkMs = performance.now() - begin;
              });
            } catch {
              outcome.error ??= 'unparseable event';
            }
            boundary = buffer.indexOf('\n\n');
          }
        });
        response.on('end', () => finish(outcome.status >= 200 && outcome.status < 300 ? undefined : `HTTP ${outcome.status}`));
        response.on('error', (error) => finish(error.message));
      },
    );
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', (error) => finish(error.message));
    request.end(body);
  });
}

export interface StreamSummary {
  streams: number;
  completed: number;
  errors: number;
  firstChunkMs: LatencySummary;
  lastChunkMs: LatencySummary;
  /** Streams that ended without every content chunk or without `[DONE]`. */
  incomplete: number;
  errorSamples: string[];
}

export function summarise(outcomes: StreamOutcome[], expectedChunks: number): StreamSummary {
  const first = new LatencyRecorder(outcomes.length);
  const last = new LatencyRecorder(outcomes.length);
  let completed = 0;
  let errors = 0;
  let incomplete = 0;
  const errorSamples = new Set<string>();
  for (const outcome of outcomes) {
    if (outcome.error) {
      errors += 1;
      if (errorSamples.size < 5) errorSamples.add(outcome.error);
      continue;
    }
    if (outcome.contentChunks !== expectedChunks || !outcome.sawDone) {
      incomplete += 1;
      continue;
    }
    completed += 1;
    first.record(outcome.firstChunkMs);
    last.record(outcome.lastChunkMs);
  }
  return { streams: outcomes.length, completed, errors, incomplete, firstChunkMs: first.summary(), lastChunkMs: last.summary(), errorSamples: [...errorSamples] };
}

/** `sequential` streams one after another, then `rounds` rounds of `concurrency` streams at once. */
export async function measureStreams(target: StreamTarget, body: string, options: { sequential: number; concurrency: number; rounds: number; expectedChunks: number }) {
  const agent = new Agent({ keepAlive: true, maxSockets: Math.max(1, options.concurrency) });
  try {
    const sequential: StreamOutcome[] = [];
    for (let index = 0; index < options.sequential; index += 1) sequential.push(await streamOnce(target, body, agent));
    const concurrent: StreamOutcome[] = [];
    for (let round = 0; round < options.rounds; round += 1) {
      concurrent.push(...(await Promise.all(Array.from({ length: options.concurrency }, () => streamOnce(target, body, agent)))));
    }
    return { sequential: summarise(sequential, options.expectedChunks), concurrent: summarise(concurrent, options.expectedChunks) };
  } finally {
    agent.destroy();
  }
}
