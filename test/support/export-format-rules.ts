import assert from 'node:assert/strict';

/**
 * The documented rules of each export format, checked on every line a test exports: required and allowed keys,
 * allowed roles, role order, and tool calls.
 */
type Json = Record<string, unknown>;

function keysWithin(value: Json, allowed: string[], where: string): void {
  for (const key of Object.keys(value)) assert.ok(allowed.includes(key), `${where}: key "${key}" is not allowed (allowed: ${allowed.join(', ')})`);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parsesToObject(text: unknown, where: string): void {
  assert.equal(typeof text, 'string', `${where} must be a JSON string`);
  assert.ok(isObject(JSON.parse(text as string)), `${where} must encode a JSON object`);
}

/** OpenAI chat fine-tuning: messages of system/user/assistant/tool, ending with the assistant; tools as functions. */
export function checkOpenAiLine(line: Json): void {
  keysWithin(line, ['messages', 'tools', 'parallel_tool_calls'], 'line');
  const messages = line.messages as Json[];
  assert.ok(Array.isArray(messages) && messages.length >= 2, 'messages: at least two');
  assert.equal(messages.at(-1)?.role, 'assistant', 'the last message is the assistant');
  const calls = new Set<string>();
  for (const [index, message] of messages.entries()) {
    const where = `messages[${index}]`;
    assert.ok(['system', 'user', 'assistant', 'tool'].includes(message.role as string), `${where}.role`);
    if (message.role === 'tool') {
      keysWithin(message, ['role', 'tool_call_id', 'content'], where);
      assert.ok(calls.has(message.tool_call_id as string), `${where} answers an earlier tool call`);
      assert.equal(typeof message.content, 'string');
    } else if (message.role === 'assistant') {
      keysWithin(message, ['role', 'content', 'tool_calls', 'weight'], where);
      assert.ok(message.content !== undefined || Array.isArray(message.tool_calls), `${where} has content or tool calls`);
      for (const [callIndex, call] of ((message.tool_calls as Json[] | undefined) ?? []).entries()) {
        keysWithin(call, ['id', 'type', 'function'], `${where}.tool_calls[${callIndex}]`);
        assert.equal(call.type, 'function');
        const fn = call.function as Json;
        assert.equal(typeof fn.name, 'string');
        parsesToObject(fn.arguments, `${where}.tool_calls[${callIndex}].function.arguments`);
        calls.add(call.id as string);
      }
    } else {
      keysWithin(message, ['role', 'content'], where);
      if (Array.isArray(message.content)) for (const part of message.content as Json[]) assert.ok(['text', 'image_url'].includes(part.type as string), `${where}: part type ${String(part.type)}`);
      else assert.equal(typeof message.content, 'string');
    }
  }
  for (const tool of (line.tools as Json[] | undefined) ?? []) {
    keysWithin(tool, ['type', 'function'], 'tools[]');
    assert.equal(tool.type, 'function');
    assert.equal(typeof (tool.function as Json).name, 'string');
  }
}

/** Bedrock Claude conversation: optional system string; string messages from user, alternating, ending with assistant. */
export function checkBedrockLine(line: Json): void {
  keysWithin(line, ['system', 'messages'], 'line');
  if (line.system !== undefined) assert.equal(typeof line.system, 'string');
  const messages = line.messages as Json[];
  assert.ok(Array.isArray(messages) && messages.length >= 2, 'at least two messages');
  assert.equal(messages[0]?.role, 'user', 'the first message is the user');
  assert.equal(messages.at(-1)?.role, 'assistant', 'the last message is the assistant');
  for (const [index, message] of messages.entries()) {
    keysWithin(message, ['role', 'content'], `messages[${index}]`);
    assert.equal(message.role, index % 2 === 0 ? 'user' : 'assistant', `messages[${index}] alternates`);
    assert.ok(typeof message.content === 'string' && message.content.trim() !== '', `messages[${index}].content is text`);
  }
}

const geminiSchemaKeys = ['type', 'format', 'title', 'description', 'nullable', 'enum', 'required', 'default', 'example', 'pattern', 'minItems', 'maxItems', 'minLength', 'maxLength', 'minProperties', 'maxProperties', 'minimum', 'maximum', 'propertyOrdering', 'properties', 'items', 'anyOf'];

function checkGeminiSchema(schema: Json, where: string): void {
  keysWithin(schema, geminiSchemaKeys, where);
  for (const [name, property] of Object.entries((schema.properties as Json | undefined) ?? {})) checkGeminiSchema(property as Json, `${where}.properties.${name}`);
  if (isObject(schema.items)) checkGeminiSchema(schema.items, `${where}.items`);
}

/** Vertex Gemini tuning: user/model contents alternating from user to model; function calls and responses placed. */
export function checkVertexLine(line: Json): void {
  keysWithin(line, ['systemInstruction', 'contents', 'tools'], 'line');
  if (line.systemInstruction !== undefined) {
    const system = line.systemInstruction as Json;
    keysWithin(system, ['role', 'parts'], 'systemInstruction');
    for (const part of system.parts as Json[]) keysWithin(part, ['text'], 'systemInstruction.parts[]');
  }
  const contents = line.contents as Json[];
  assert.ok(Array.isArray(contents) && contents.length >= 2, 'at least two contents');
  assert.equal(contents.at(-1)?.role, 'model', 'the last content is the model');
  const called: string[] = [];
  for (const [index, content] of contents.entries()) {
    const where = `contents[${index}]`;
    keysWithin(content, ['role', 'parts'], where);
    assert.equal(content.role, index % 2 === 0 ? 'user' : 'model', `${where} alternates`);
    for (const part of content.parts as Json[]) {
      assert.equal(Object.keys(part).length, 1, `${where}: a part holds one field`);
      keysWithin(part, ['text', 'fileData', 'functionCall', 'functionResponse'], `${where}.parts[]`);
      if (part.functionCall) {
        assert.equal(content.role, 'model', 'function calls come from the model');
        assert.ok(isObject((part.functionCall as Json).args), 'functionCall.args is an object');
        called.push((part.functionCall as Json).name as string);
      }
      if (part.functionResponse) {
        assert.equal(content.role, 'user', 'function responses come in user turns');
        const response = part.functionResponse as Json;
        assert.ok(called.includes(response.name as string), 'a function response names an earlier call');
        assert.ok(isObject(response.response), 'functionResponse.response is an object');
      }
      if (part.fileData) keysWithin(part.fileData as Json, ['mimeType', 'fileUri'], `${where}.fileData`);
    }
  }
  for (const tool of (line.tools as Json[] | undefined) ?? []) {
    keysWithin(tool, ['functionDeclarations'], 'tools[]');
    for (const declaration of tool.functionDeclarations as Json[]) {
      keysWithin(declaration, ['name', 'description', 'parameters'], 'functionDeclarations[]');
      if (declaration.parameters) checkGeminiSchema(declaration.parameters as Json, `${declaration.name as string}.parameters`);
    }
  }
}

/** Plain evaluation line. */
export function checkEvalLine(line: Json): void {
  keysWithin(line, ['input', 'expected', 'expected_tool_calls', 'tools', 'metadata'], 'line');
  assert.ok(typeof line.input === 'string' || Array.isArray(line.input), 'input is a string or messages');
  if (line.expected !== undefined) assert.equal(typeof line.expected, 'string');
  assert.ok(isObject(line.metadata), 'metadata is an object');
  for (const value of Object.values(line.metadata as Json)) assert.equal(typeof value, 'string');
}
