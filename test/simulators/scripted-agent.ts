import type { ServerResponse } from 'node:http';
import { isRecord, replyPieces, writeStream } from './loopback-server.js';

/**
 * A scripted "model" for agent clients. A task prompt that holds `SCRIPT-WRITE path=<absolute path> content=<token>`
 * makes every simulator act as an agent would: on the first turn it calls the tool the client offered for writing a
 * file or running a shell command, with arguments that write <token> to <path>; once a tool result is in the last
 * turn it answers with a final text. Requests without the marker are answered as before.
 *
 * The tools agent clients send (seen in the first request each one makes):
 * - Claude Code: `Write` {file_path, content} (also Bash {command: string}, Read, Edit, ...).
 * - Codex CLI: `shell` {command: string[]} in older versions, `exec_command` {cmd: string} or `shell_command`
 *   {command: string} in newer ones, and `apply_patch`.
 * - The SDK scripts in test/agent-clients: `write_file` {path, content}.
 */
const markerPattern = /SCRIPT-WRITE path=([^\s"\\]+) content=([A-Za-z0-9_.-]+)/;

export interface ScriptedCall {
  name: string;
  input: Record<string, unknown>;
  fragments: string[];
}

export interface ScriptedTurn {
  calls: ScriptedCall[];
  text: string;
}

export type ScriptFormat = 'openai-chat' | 'anthropic' | 'gemini' | 'bedrock';

interface ToolOffer {
  name: string;
  properties: Record<string, unknown>;
}

function offer(name: unknown, schema: unknown): ToolOffer[] {
  if (typeof name !== 'string') return [];
  const properties = isRecord(schema) && isRecord(schema.properties) ? schema.properties : {};
  return [{ name, properties }];
}

/** The function tools a request offers, from each wire format's own tool shape. */
function toolOffers(format: ScriptFormat, body: Record<string, unknown>): ToolOffer[] {
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
  switch (format) {
    case 'openai-chat':
      return list(body.tools).flatMap((tool) => (isRecord(tool) && isRecord(tool.function) ? offer(tool.function.name, tool.function.parameters) : []));
    case 'anthropic':
      return list(body.tools).flatMap((tool) => (isRecord(tool) ? offer(tool.name, tool.input_schema) : []));
    case 'gemini':
      return list(body.tools).flatMap((tool) =>
        isRecord(tool) ? list(tool.functionDeclarations).flatMap((item) => (isRecord(item) ? offer(item.name, item.parametersJsonSchema ?? item.parameters) : [])) : [],
      );
    case 'bedrock': {
      const config = isRecord(body.toolConfig) ? body.toolConfig : {};
      return list(config.tools).flatMap((tool) => (isRecord(tool) && isRecord(tool.toolSpec) ? offer(tool.toolSpec.name, isRecord(tool.toolSpec.inputSchema) ? tool.toolSpec.inputSchema.json : undefined) : []));
    }
  }
}

function shellLine(path: string, content: string): string {
  return `printf '%s' '${content}' > '${path}'`;
}

/** Arguments that write the file with this tool, judged from its parameter names; undefined when it cannot. */
function argumentsFor(tool: ToolOffer, path: string, content: string): Record<string, unknown> | undefined {
  const has = (key: string) => key in tool.properties;
  const type = (key: string) => (isRecord(tool.properties[key]) ? tool.properties[key].type : undefined);
  if (has('file_path') && has('content')) return { file_path: path, content };
  if (has('path') && has('content')) return { path, content };
  if (has('command') && type('command') === 'array') return { command: ['bash', '-lc', shellLine(path, content)] };
  if (has('command')) return { command: shellLine(path, content) };
  if (has('cmd')) return { cmd: shellLine(path, content) };
  return undefined;
}

/** Tools tried first: the ones that write files, then shells. */
const preference = [/^write/i, /write/i, /shell|exec|bash/i];

function chooseCall(tools: ToolOffer[], path: string, content: string): ScriptedCall | undefined {
  for (const pattern of preference) {
    for (const tool of tools.filter((candidate) => pattern.test(candidate.name))) {
      const input = argumentsFor(tool, path, content);
      if (input) {
        const json = JSON.stringify(input);
        const cut = Math.floor(json.length / 2);
        return { name: tool.name, input, fragments: [json.slice(0, cut), json.slice(cut)] };
      }
    }
  }
  return undefined;
}

/** The scripted turn for this request, or undefined when the conversation holds no SCRIPT-WRITE marker. */
export function scriptedAgentTurn(format: ScriptFormat, body: Record<string, unknown>, afterToolResult: boolean): ScriptedTurn | undefined {
  const marker = markerPattern.exec(JSON.stringify(body.messages ?? body.contents ?? body.input ?? ''));
  if (!marker) return undefined;
  const [, path = '', content = ''] = marker;
  if (afterToolResult) return { calls: [], text: `Done: wrote ${content} to ${path}.` };
  const call = chooseCall(toolOffers(format, body), path, content);
  return call ? { calls: [call], text: '' } : { calls: [], text: `No tool to write ${path} with.` };
}

/** Whether the last OpenAI chat message is a tool result. */
export function openAiLastTurnHasToolResults(body: Record<string, unknown>): boolean {
  const last = Array.isArray(body.messages) ? body.messages.at(-1) : undefined;
  return isRecord(last) && last.role === 'tool';
}

function chatChunk(model: unknown, delta: Record<string, unknown>, finish: string | null, usage?: Record<string, unknown>): string {
  const choices = [{ index: 0, delta, logprobs: null, finish_reason: finish }];
  return `data: ${JSON.stringify({ id: 'chatcmpl-sim-agent', object: 'chat.completion.chunk', created: 1_760_000_000, model, choices, ...(usage ? { usage } : {}) })}\n\n`;
}

/** Answers an OpenAI Chat Completions request with the scripted turn, as JSON or as SSE. */
export async function writeOpenAiScriptedTurn(response: ServerResponse, body: Record<string, unknown>, turn: ScriptedTurn, usage: Record<string, unknown>): Promise<void> {
  const toolCalls = turn.calls.map((call, index) => ({ id: `call_sim_agent_${index + 1}`, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.input) } }));
  const finish = toolCalls.length > 0 ? 'tool_calls' : 'stop';
  if (!body.stream) {
    const message = toolCalls.length > 0 ? { role: 'assistant', content: null, tool_calls: toolCalls, refusal: null } : { role: 'assistant', content: turn.text, refusal: null };
    const text = JSON.stringify({ id: 'chatcmpl-sim-agent', object: 'chat.completion', created: 1_760_000_000, model: body.model, choices: [{ index: 0, message, logprobs: null, finish_reason: finish }], usage });
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    response.end(text);
    return;
  }
  const events = [chatChunk(body.model, { role: 'assistant', content: '' }, null)];
  for (const [index, call] of turn.calls.entries()) {
    events.push(chatChunk(body.model, { tool_calls: [{ index, id: `call_sim_agent_${index + 1}`, type: 'function', function: { name: call.name, arguments: '' } }] }, null));
    for (const fragment of call.fragments) events.push(chatChunk(body.model, { tool_calls: [{ index, function: { arguments: fragment } }] }, null));
  }
  if (turn.calls.length === 0) for (const piece of replyPieces(turn.text)) events.push(chatChunk(body.model, { content: piece }, null));
  events.push(chatChunk(body.model, {}, finish));
  const options = isRecord(body.stream_options) ? body.stream_options : {};
  if (options.include_usage) events.push(`data: ${JSON.stringify({ id: 'chatcmpl-sim-agent', object: 'chat.completion.chunk', created: 1_760_000_000, model: body.model, choices: [], usage })}\n\n`);
  events.push('data: [DONE]\n\n');
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  await writeStream(response, events);
}
