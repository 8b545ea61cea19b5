import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReceivedRequest } from './openai-simulator.js';

/**
 * An OpenAI Chat Completions server whose answers are a function of the prompt, for evaluations:
 * - questions read "Qn: ... (answer: X)", "(json: X)" or "(call: NAME ARGS)"; upstream model `oracle` answers X (or
 *   makes the tool call), `sloppy` does too unless n is a multiple of 3 (then "I am not sure."), anything else
 *   answers "Hello.";
 * - upstream model `judge` grades. Pointwise ("Score: N" asked): 9 when the [Answer] is the conversation's X, else 2;
 *   pass/fail likewise. Pairwise: the answer that is X wins; when both or neither are, it says "Winner: A", a judge
 *   with a position bias, so only comparisons run in both orders come out consistent.
 * Usage is fixed: 12 prompt tokens (2 cached) and 7 completion tokens.
 */
export interface JudgeSimulator {
  url: string;
  received: ReceivedRequest[];
  /** Delays every answer, so that a test can stop a run between calls. */
  delayMs: number;
  /** The most requests answered at once since the last reset (set it to 0 to reset). */
  maxInFlight: number;
  close(): Promise<void>;
}

const usage = { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19, prompt_tokens_details: { cached_tokens: 2 } };

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  return Array.isArray(content) ? content.map((part) => (part as { text?: string }).text ?? '').join('') : '';
}

function section(text: string, heading: string): string | undefined {
  const start = text.indexOf(`${heading}\n`);
  if (start === -1) return undefined;
  const rest = text.slice(start + heading.length + 1);
  const end = rest.search(/\n\n\[[A-Z][a-zA-Z ]*\]\n/);
  return (end === -1 ? rest : rest.slice(0, end)).trim();
}

interface Answer {
  text: string | null;
  call?: { name: string; arguments: string };
}

/** What a question asks for: "(answer: X)" a text, "(json: X)" a JSON text, "(call: NAME ARGS)" a tool call. */
function expectedAnswer(text: string): Answer | undefined {
  const answer = /\((?:answer|json): (.*?)\)(?:$|\n)/.exec(text)?.[1];
  if (answer !== undefined) return { text: answer };
  const call = /\(call: (\w+) (.*?)\)(?:$|\n)/.exec(text);
  return call ? { text: null, call: { name: call[1] as string, arguments: call[2] as string } } : undefined;
}

/** The expected answer as the judge's prompt shows answers: the text, or `[calls name(arguments)]`. */
function expectedIn(text: string): string | undefined {
  const expected = expectedAnswer(text);
  if (!expected) return undefined;
  return expected.call ? `[calls ${expected.call.name}(${expected.call.arguments})]` : (expected.text ?? undefined);
}

function candidateAnswer(model: string, prompt: string): Answer {
  const expected = expectedAnswer(prompt);
  const number = Number(/Q(\d+):/.exec(prompt)?.[1] ?? '1');
  if (model === 'oracle' && expected !== undefined) return expected;
  if (model === 'sloppy' && expected !== undefined) return number % 3 === 0 ? { text: 'I am not sure.' } : expected;
  return { text: 'Hello.' };
}

function judgeAnswer(system: string, user: string): Answer {
  return { text: judgement(system, user) };
}

function judgement(system: string, user: string): string {
  const expected = expectedIn(section(user, '[Conversation]') ?? '');
  const right = (answer: string | undefined) => answer !== undefined && expected !== undefined && answer === expected;
  if (system.includes('Winner: A')) {
    const first = right(section(user, '[Answer A]'));
    const second = right(section(user, '[Answer B]'));
    return `Comparing both.\nWinner: ${first === second ? 'A' : first ? 'A' : 'B'}`;
  }
  const good = right(section(user, '[Answer]'));
  if (system.includes('Verdict: PASS')) return `Checked.\nVerdict: ${good ? 'PASS' : 'FAIL'}`;
  return `Considered a Score: 5 at first.\nScore: ${good ? 9 : 2}`;
}

function answer(body: Record<string, unknown>): Answer {
  const messages = (body.messages as Array<{ role: string; content: unknown }> | undefined) ?? [];
  const system = messages.filter((message) => message.role === 'system' || message.role === 'developer').map((message) => textOf(message.content)).join('\n');
  const user = messages.filter((message) => message.role === 'user').map((message) => textOf(message.content)).join('\n');
  return body.model === 'judge' ? judgeAnswer(system, user) : candidateAnswer(String(body.model), user);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

export async function startJudgeSimulator(): Promise<JudgeSimulator> {
  const received: ReceivedRequest[] = [];
  const simulator: JudgeSimulator = { url: '', received, delayMs: 0, maxInFlight: 0, close: async () => undefined };
  let inFlight = 0;
  const server: Server = createServer((request, response) => {
    void readBody(request).then(async (text) => {
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      received.push({ path: request.url ?? '', headers: request.headers, body });
      inFlight += 1;
      simulator.maxInFlight = Math.max(simulator.maxInFlight, inFlight);
      if (simulator.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, simulator.delayMs));
      inFlight -= 1;
      const reply = answer(body);
      const toolCalls = reply.call ? [{ id: `call_sim_${received.length}`, type: 'function', function: reply.call }] : undefined;
      const message = { role: 'assistant', content: reply.text, refusal: null, ...(toolCalls ? { tool_calls: toolCalls } : {}) };
      const completion = {
        id: `chatcmpl-judge-${received.length}`, object: 'chat.completion', created: 1_760_000_000, model: body.model, system_fingerprint: 'fp_sim', usage,
        choices: [{ index: 0, message, logprobs: null, finish_reason: toolCalls ? 'tool_calls' : 'stop' }],
      };
      const payload = JSON.stringify(completion);
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
      response.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  simulator.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  simulator.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return simulator;
}
