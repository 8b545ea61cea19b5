import type { CacheBreakpoint, ContentPart, FilePart, ImagePart, ReasoningPart, ToolCall, ToolMessage } from '../../core/canonical.js';
import { invalid, optionalBoolean, optionalString, requireArray, requireObject, requireString, type Json } from '../openai/field-reader.js';

/** Image formats the Messages API accepts: https://docs.anthropic.com/en/docs/build-with-claude/vision */
const imageMediaTypes = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];

export function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}

export function unsupportedBlock(type: unknown, path: string, allowed: string): never {
  throw invalid(`${path}.type`, `content block type ${JSON.stringify(type)} is not supported here; use ${allowed}.`);
}

/** `cache_control: {type: "ephemeral", ttl?}`: https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching */
export function decodeCacheControl(block: Json, path: string): CacheBreakpoint | undefined {
  if (!isPresent(block.cache_control)) return undefined;
  const control = requireObject(block.cache_control, `${path}.cache_control`);
  if (control.type !== 'ephemeral') throw invalid(`${path}.cache_control.type`, `expected "ephemeral", got ${JSON.stringify(control.type)}.`);
  const ttl = optionalString(control.ttl, `${path}.cache_control.ttl`);
  return ttl === undefined ? {} : { ttl };
}

function withCache<T extends { cache?: CacheBreakpoint }>(part: T, block: Json, path: string): T {
  const cache = decodeCacheControl(block, path);
  if (cache) part.cache = cache;
  return part;
}

export function decodeText(block: Json, path: string): ContentPart {
  return withCache<ContentPart>({ type: 'text', text: requireString(block.text, `${path}.text`) }, block, path);
}

function decodeImage(block: Json, path: string): ImagePart {
  const source = requireObject(block.source, `${path}.source`);
  if (source.type === 'url') return withCache<ImagePart>({ type: 'image', url: requireString(source.url, `${path}.source.url`) }, block, path);
  if (source.type !== 'base64') throw invalid(`${path}.source.type`, `expected "base64" or "url", got ${JSON.stringify(source.type)}.`);
  const mediaType = requireString(source.media_type, `${path}.source.media_type`);
  if (!imageMediaTypes.includes(mediaType)) {
    throw invalid(`${path}.source.media_type`, `expected one of ${imageMediaTypes.map((type) => `"${type}"`).join(', ')}, got ${JSON.stringify(mediaType)}.`);
  }
  const data = requireString(source.data, `${path}.source.data`);
  if (data === '') throw invalid(`${path}.source.data`, 'must not be empty.');
  return withCache<ImagePart>({ type: 'image', url: `data:${mediaType};base64,${data}`, data, mediaType }, block, path);
}

function documentText(source: Json, path: string): string {
  if (source.type === 'text') return requireString(source.data, `${path}.source.data`);
  // Content sources hold text blocks: https://docs.anthropic.com/en/docs/build-with-claude/citations
  return requireArray(source.content, `${path}.source.content`)
    .map((item, index) => requireString(requireObject(item, `${path}.source.content[${index}]`).text, `${path}.source.content[${index}].text`))
    .join('\n');
}

/** Document sources: https://docs.anthropic.com/en/docs/build-with-claude/pdf-support */
function decodeDocument(block: Json, path: string): FilePart {
  const source = requireObject(block.source, `${path}.source`);
  const part: FilePart = { type: 'file' };
  if (source.type === 'base64') {
    part.mediaType = requireString(source.media_type, `${path}.source.media_type`);
    part.data = requireString(source.data, `${path}.source.data`);
  } else if (source.type === 'url') {
    part.url = requireString(source.url, `${path}.source.url`);
    part.mediaType = 'application/pdf';
  } else if (source.type === 'file') {
    part.fileId = requireString(source.file_id, `${path}.source.file_id`);
  } else if (source.type === 'text' || source.type === 'content') {
    part.text = documentText(source, path);
    part.mediaType = 'text/plain';
  } else {
    throw invalid(`${path}.source.type`, `expected "base64", "url", "text", "content" or "file", got ${JSON.stringify(source.type)}.`);
  }
  const title = optionalString(block.title, `${path}.title`);
  if (title !== undefined) part.filename = title;
  return withCache(part, block, path);
}

/** Text, image and document blocks, the content a user turn and a tool result share. */
export function decodeContentBlock(block: Json, path: string): ContentPart | undefined {
  if (block.type === 'text') return decodeText(block, path);
  if (block.type === 'image') return decodeImage(block, path);
  if (block.type === 'document') return decodeDocument(block, path);
  return undefined;
}

/** Tool result text stays the tool message; its images and documents follow in a user turn (canonical tool results are text). */
export function decodeToolResult(block: Json, path: string): { message: ToolMessage; attachments: ContentPart[] } {
  const texts: string[] = [];
  const attachments: ContentPart[] = [];
  const content = block.content;
  if (typeof content === 'string') texts.push(content);
  else if (isPresent(content)) {
    requireArray(content, `${path}.content`).forEach((item, index) => {
      const itemPath = `${path}.content[${index}]`;
      const inner = requireObject(item, itemPath);
      const part = decodeContentBlock(inner, itemPath);
      if (!part) unsupportedBlock(inner.type, itemPath, '"text", "image" or "document" in tool results');
      if (part.type === 'text') texts.push(part.text);
      else attachments.push(part);
    });
  }
  const message = withCache<ToolMessage>({ role: 'tool', toolCallId: requireString(block.tool_use_id, `${path}.tool_use_id`), content: texts.join('\n') }, block, path);
  if (optionalBoolean(block.is_error, `${path}.is_error`) === true) message.isError = true;
  return { message, attachments };
}

export function decodeToolUse(block: Json, path: string): ToolCall {
  return {
    id: requireString(block.id, `${path}.id`),
    name: requireString(block.name, `${path}.name`),
    arguments: JSON.stringify(requireObject(block.input, `${path}.input`)),
  };
}

/** Thinking keeps its signature and redacted thinking its data, which Anthropic needs back unchanged in tool loops. */
export function decodeReasoning(block: Json, path: string): ReasoningPart {
  if (block.type === 'redacted_thinking') return { text: '', format: 'anthropic', encrypted: requireString(block.data, `${path}.data`) };
  const part: ReasoningPart = { text: requireString(block.thinking, `${path}.thinking`), format: 'anthropic' };
  const signature = optionalString(block.signature, `${path}.signature`);
  if (signature !== undefined && signature !== '') part.signature = signature;
  return part;
}
