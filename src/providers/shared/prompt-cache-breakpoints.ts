import type { CacheBreakpoint, ChatRequest, Message, ToolMessage, UserMessage } from '../../core/canonical.js';

/**
 * Where `promptCache: auto` puts prompt-cache breakpoints, for every provider that needs explicit ones (Anthropic
 * `cache_control`, Bedrock `cachePoint`). Both allow four per request:
 * https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching and
 * https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html
 */
export const maxCacheBreakpoints = 4;

/** One place a breakpoint may go: marks it unless it is already marked, and tells whether it added one. */
export type BreakpointCandidate = () => boolean;

/** The places of one request's stable prefix, each absent when the request has none. */
export interface PrefixCandidates {
  /** The newest user turn: what the next request reads back. */
  lastTurn?: BreakpointCandidate;
  /** The user turn before it: what this request reads from the previous one. */
  previousTurn?: BreakpointCandidate;
  system?: BreakpointCandidate;
  tools?: BreakpointCandidate;
}

/**
 * The policy: the newest user turn, the turn before it, the end of the system prompt and the end of the tools, in that
 * order of priority, while the markers already present (the client's) leave room. Returns how many were added.
 */
export function placeBreakpoints(candidates: PrefixCandidates, existing: number): number {
  let room = maxCacheBreakpoints - existing;
  let added = 0;
  for (const candidate of [candidates.lastTurn, candidates.previousTurn, candidates.system, candidates.tools]) {
    if (room <= 0) break;
    if (candidate?.()) {
      room -= 1;
      added += 1;
    }
  }
  return added;
}

const breakpoint: CacheBreakpoint = {};

/** Every marker a canonical request carries, in any place. */
export function countCanonicalBreakpoints(request: ChatRequest): number {
  let count = request.cacheTools ? 1 : 0;
  for (const message of request.messages) {
    if (message.role === 'system' || message.role === 'tool') count += message.cache ? 1 : 0;
    else count += (message.content as Array<{ cache?: CacheBreakpoint }>).filter((part) => part.cache !== undefined).length;
  }
  return count;
}

/** Text a provider would drop as blank cannot hold a marker; images and documents can. */
function markUser(message: UserMessage): boolean {
  for (let index = message.content.length - 1; index >= 0; index -= 1) {
    const part = message.content[index];
    if (!part || (part.type === 'text' && part.text === '')) continue;
    if (part.cache) return false;
    message.content[index] = { ...part, cache: breakpoint };
    return true;
  }
  return false;
}

function markTool(message: ToolMessage): boolean {
  if (message.cache) return false;
  message.cache = breakpoint;
  return true;
}

/** User turns as a provider sees them: runs of user and tool messages, ended by an assistant message. */
function userTurns(messages: Message[]): Array<UserMessage | ToolMessage> {
  const ends: Array<UserMessage | ToolMessage> = [];
  let current: UserMessage | ToolMessage | undefined;
  for (const message of messages) {
    if (message.role === 'assistant') {
      if (current) ends.push(current);
      current = undefined;
    } else if (message.role !== 'system') current = message;
  }
  if (current) ends.push(current);
  return ends;
}

function turnCandidate(message: UserMessage | ToolMessage | undefined): BreakpointCandidate | undefined {
  if (!message) return undefined;
  return () => (message.role === 'tool' ? markTool(message) : markUser(message));
}

/** The system prompt is the run of system messages that opens the conversation. */
function systemCandidate(messages: Message[]): BreakpointCandidate | undefined {
  let last: Extract<Message, { role: 'system' }> | undefined;
  for (const message of messages) {
    if (message.role !== 'system') break;
    if (message.content !== '') last = message;
  }
  if (!last) return undefined;
  const system = last;
  return () => {
    if (system.cache) return false;
    system.cache = breakpoint;
    return true;
  };
}

function copyMessage(message: Message): Message {
  if (message.role === 'user') return { ...message, content: [...message.content] };
  return { ...message };
}

export interface AutomaticBreakpointOptions {
  /** False when the provider takes no breakpoint on tools (Amazon Nova on Bedrock), so none is spent there. */
  tools?: boolean;
}

/**
 * The canonical request with `promptCache: auto` breakpoints added by the policy above, for adapters that render
 * canonical markers (Bedrock). The request passed in is not changed; client markers stay and count against the four.
 */
export function withAutomaticBreakpoints(request: ChatRequest, options: AutomaticBreakpointOptions = {}): ChatRequest {
  const messages = request.messages.map(copyMessage);
  const result: ChatRequest = { ...request, messages };
  const turns = userTurns(messages);
  const candidates: PrefixCandidates = { lastTurn: turnCandidate(turns.at(-1)), previousTurn: turnCandidate(turns.at(-2)), system: systemCandidate(messages) };
  if (options.tools !== false && request.tools && request.tools.length > 0) {
    candidates.tools = () => {
      if (result.cacheTools) return false;
      result.cacheTools = breakpoint;
      return true;
    };
  }
  placeBreakpoints(candidates, countCanonicalBreakpoints(request));
  return result;
}
