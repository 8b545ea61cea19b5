import { emptyUsage, type ChatRequest, type ToolCall } from '../core/canonical.js';
import { GatewayError } from '../core/errors.js';
import type { CapturedAnswer } from './captured-request.js';
import type { DatasetItem } from './dataset.js';
import { decodeChatRequest } from '../server/openai/decode-chat-request.js';
import { invalid, requireArray, requireObject, requireString, type Json } from '../server/openai/field-reader.js';

/** A bad line of an import: `line` counts from 1 as editors do; `field` is the path inside that line's object. */
export interface ImportProblem {
  line: number;
  field: string;
  message: string;
}

export interface ParsedImport {
  items: DatasetItem[];
  problems: ImportProblem[];
}

/** Decodes OpenAI chat messages (and tools) with the chat ingress's own decoder, so both accept the same shapes. */
function decodeConversation(messages: unknown, tools: unknown, line: Json): ChatRequest {
  const request = decodeChatRequest({ model: 'dataset', messages, ...(tools === undefined ? {} : { tools }), ...(line.parallel_tool_calls === undefined ? {} : { parallel_tool_calls: line.parallel_tool_calls }) });
  delete request.native;
  request.model = typeof line.model === 'string' ? line.model : '';
  return request;
}

function answer(text: string, toolCalls: ToolCall[]): CapturedAnswer {
  return { text, toolCalls, finishReason: toolCalls.length > 0 ? 'tool-calls' : 'stop', usage: emptyUsage() };
}

function readMetadata(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  const metadata = requireObject(value, 'metadata');
  const result: Record<string, string> = {};
  for (const [key, entry] of Object.entries(metadata)) {
    if (typeof entry === 'string') result[key] = entry;
    else if (typeof entry === 'number' || typeof entry === 'boolean') result[key] = String(entry);
    else throw invalid(`metadata.${key}`, 'expected a string, number or boolean.');
  }
  return result;
}

/** `{"messages": [...], "tools"?: [...]}`: the last message, an assistant one, is the reference answer. */
function chatLine(line: Json): Omit<DatasetItem, 'id'> {
  const request = decodeConversation(line.messages, line.tools, line);
  const last = request.messages.at(-1);
  const lastIndex = request.messages.length - 1;
  if (last?.role !== 'assistant') throw invalid(`messages[${lastIndex}].role`, 'the last message must be the assistant\'s reference answer.');
  if (request.messages.length < 2) throw invalid('messages', 'needs at least one message before the assistant\'s answer.');
  const text = last.content.map((part) => part.text).join('');
  if (text === '' && !last.toolCalls?.length) throw invalid(`messages[${lastIndex}].content`, 'the reference answer is empty.');
  request.messages.pop();
  return { request, reference: answer(text, last.toolCalls ?? []), sourceRequestId: null, metadata: readMetadata(line.metadata) };
}

function expectedToolCalls(value: unknown): ToolCall[] {
  if (value === undefined || value === null) return [];
  return requireArray(value, 'expected_tool_calls').map((entry, index) => {
    const call = requireObject(entry, `expected_tool_calls[${index}]`);
    const args = call.arguments;
    const text = typeof args === 'string' ? args : args === undefined ? '{}' : JSON.stringify(requireObject(args, `expected_tool_calls[${index}].arguments`));
    return { id: `call_${index + 1}`, name: requireString(call.name, `expected_tool_calls[${index}].name`), arguments: text };
  });
}

/** `{"input": string | messages, "expected"?: string, "metadata"?: {}}`. */
function evalLine(line: Json): Omit<DatasetItem, 'id'> {
  let request: ChatRequest;
  if (typeof line.input === 'string') {
    if (line.input === '') throw invalid('input', 'must not be empty.');
    request = decodeConversation([{ role: 'user', content: line.input }], line.tools, line);
  } else {
    requireArray(line.input, 'input');
    try {
      request = decodeConversation(line.input, line.tools, line);
    } catch (error) {
      // The decoder names chat fields (`messages[1].role`); here they sit under `input`.
      if (error instanceof GatewayError && error.param?.startsWith('messages')) throw invalid(`input${error.param.slice('messages'.length)}`, withoutParam(error));
      throw error;
    }
  }
  const toolCalls = expectedToolCalls(line.expected_tool_calls);
  const expected = line.expected === undefined || line.expected === null ? undefined : requireString(line.expected, 'expected');
  const reference = expected === undefined && toolCalls.length === 0 ? null : answer(expected ?? '', toolCalls);
  return { request, reference, sourceRequestId: null, metadata: readMetadata(line.metadata) };
}

function lineError(message: string): GatewayError {
  return new GatewayError('invalid_request', message, { param: '' });
}

/** The message of a field error without the `param: ` prefix the field readers put before it. */
function withoutParam(error: GatewayError): string {
  const prefix = `${error.param ?? ''}: `;
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

function parseLine(text: string): Omit<DatasetItem, 'id'> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw lineError(`not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw lineError('expected a JSON object.');
  const line = value as Json;
  if (line.messages !== undefined) return chatLine(line);
  if (line.input !== undefined) return evalLine(line);
  throw invalid('messages', 'expected "messages" (a chat fine-tuning line) or "input" (an evaluation line).');
}

/** Parses JSONL import text: every line is checked, so that one answer names every bad line. Blank lines are skipped. */
export function parseDatasetJsonl(text: string): ParsedImport {
  const items: DatasetItem[] = [];
  const problems: ImportProblem[] = [];
  text.split('\n').forEach((raw, index) => {
    const content = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (content.trim() === '') return;
    try {
      items.push({ id: `item-${items.length + problems.length + 1}`, ...parseLine(content) });
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      problems.push({ line: index + 1, field: error.param ?? '', message: withoutParam(error) });
    }
  });
  return { items, problems };
}

/** The one error of a failed import: names the first bad line and field in `param`, lists up to 20 in the message. */
export function importError(problems: ImportProblem[], param: string): GatewayError {
  const where = (problem: ImportProblem) => `${param}[${problem.line}]${problem.field === '' ? '' : `.${problem.field}`}`;
  const listed = problems.slice(0, 20).map((problem) => `line ${problem.line}${problem.field === '' ? '' : ` (${problem.field})`}: ${problem.message}`);
  const more = problems.length > listed.length ? ` (and ${problems.length - listed.length} more)` : '';
  return new GatewayError('invalid_request', `Nothing imported. ${listed.join('; ')}${more}`, { param: where(problems[0] as ImportProblem) });
}

/** Items of an import, or the 400 that says which lines are bad; an import with no item at all is refused too. */
export function readDatasetJsonl(text: string, param: string): DatasetItem[] {
  const { items, problems } = parseDatasetJsonl(text);
  if (problems.length > 0) throw importError(problems, param);
  if (items.length === 0) throw new GatewayError('invalid_request', 'The JSONL has no lines; a dataset needs at least one item.', { param });
  return items;
}
