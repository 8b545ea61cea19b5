/**
 * Personal and secret data across a conversation: which kinds appear, and a copy with every
 * occurrence replaced by its placeholder. Looks at system text, user text parts, assistant text
 * and reasoning, tool results and tool-call arguments; images are left as they are.
 */
import type { AssistantMessage, ContentPart, Message, ToolCall } from '../../core/canonical.js';
import { PII_KINDS, detectPii, redactPii, type PiiKind } from './pii-detector.js';

type TextVisitor = (text: string) => void;

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Calls `visit` with each string and number inside a JSON value, keys aside. */
function visitJsonValue(value: unknown, visit: TextVisitor): void {
  if (typeof value === 'string') visit(value);
  else if (typeof value === 'number') visit(String(value));
  else if (Array.isArray(value)) for (const item of value) visitJsonValue(item, visit);
  else if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) visitJsonValue(item, visit);
}

// Arguments are read as JSON so escapes such as `\n` do not hide or distort what they contain;
// arguments that are not valid JSON are read as plain text.
function visitArguments(argumentsText: string, visit: TextVisitor): void {
  const parsed = parseJson(argumentsText);
  if (parsed.ok) visitJsonValue(parsed.value, visit);
  else visit(argumentsText);
}

function visitMessageTexts(message: Message, visit: TextVisitor): void {
  switch (message.role) {
    case 'system':
    case 'tool':
      visit(message.content);
      return;
    case 'user':
      for (const part of message.content) if (part.type === 'text') visit(part.text);
      return;
    case 'assistant':
      for (const part of message.content) visit(part.text);
      if (message.reasoning !== undefined) visit(message.reasoning);
      for (const call of message.toolCalls ?? []) visitArguments(call.arguments, visit);
      return;
  }
}

function inKindOrder(kinds: ReadonlySet<PiiKind>): PiiKind[] {
  return PII_KINDS.filter((kind) => kinds.has(kind));
}

/** The distinct kinds of personal or secret data anywhere in `messages`, in `PII_KINDS` order. */
export function findPiiInMessages(messages: readonly Message[]): PiiKind[] {
  const kinds = new Set<PiiKind>();
  const collect: TextVisitor = (text) => {
    for (const finding of detectPii(text)) kinds.add(finding.kind);
  };
  for (const message of messages) visitMessageTexts(message, collect);
  return inKindOrder(kinds);
}

/** Redacts text, recording the kinds it replaced and how many replacements it made. */
class Redactor {
  readonly kinds = new Set<PiiKind>();
  private replacements = 0;

  text(text: string): string {
    const result = redactPii(text);
    this.replacements += result.findings.length;
    for (const finding of result.findings) this.kinds.add(finding.kind);
    return result.text;
  }

  /** Strings and numbers are redacted; a number that held something becomes its placeholder text. */
  jsonValue(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (typeof value === 'number') {
      const text = String(value);
      const redacted = this.text(text);
      return redacted === text ? value : redacted;
    }
    if (Array.isArray(value)) return value.map((item: unknown) => this.jsonValue(item));
    if (typeof value === 'object' && value !== null) {
      // fromEntries defines own properties, so a `__proto__` key stays a key.
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.jsonValue(item)]));
    }
    return value;
  }

  /** Arguments come back unchanged, formatting included, when nothing was found; re-serialised otherwise. */
  arguments(argumentsText: string): string {
    const parsed = parseJson(argumentsText);
    if (!parsed.ok) return this.text(argumentsText);
    const before = this.replacements;
    const redacted = this.jsonValue(parsed.value);
    return this.replacements === before ? argumentsText : JSON.stringify(redacted);
  }
}

function redactParts(parts: readonly ContentPart[], redactor: Redactor): ContentPart[] {
  return parts.map((part) => (part.type === 'text' ? { ...part, text: redactor.text(part.text) } : { ...part }));
}

function redactAssistant(message: AssistantMessage, redactor: Redactor): AssistantMessage {
  const copy: AssistantMessage = {
    ...message,
    content: message.content.map((part) => ({ ...part, text: redactor.text(part.text) })),
  };
  if (message.reasoning !== undefined) copy.reasoning = redactor.text(message.reasoning);
  if (message.toolCalls !== undefined) {
    copy.toolCalls = message.toolCalls.map((call): ToolCall => ({ ...call, arguments: redactor.arguments(call.arguments) }));
  }
  return copy;
}

function redactMessage(message: Message, redactor: Redactor): Message {
  switch (message.role) {
    case 'system':
      return { ...message, content: redactor.text(message.content) };
    case 'tool':
      return { ...message, content: redactor.text(message.content) };
    case 'user':
      return { ...message, content: redactParts(message.content, redactor) };
    case 'assistant':
      return redactAssistant(message, redactor);
  }
}

/**
 * New messages with every finding replaced by its placeholder, and the kinds that were replaced.
 * The input messages, their parts and tool calls are never modified.
 */
export function redactMessages(messages: readonly Message[]): { messages: Message[]; kinds: PiiKind[] } {
  const redactor = new Redactor();
  const redacted = messages.map((message) => redactMessage(message, redactor));
  return { messages: redacted, kinds: inKindOrder(redactor.kinds) };
}
