import type { CacheBreakpoint } from '../../core/canonical.js';
import { maxCacheBreakpoints, placeBreakpoints, type BreakpointCandidate, type PrefixCandidates } from '../shared/prompt-cache-breakpoints.js';

type Block = Record<string, unknown>;

/** Anthropic allows at most four breakpoints per request: https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching */
export const maxBreakpoints = maxCacheBreakpoints;

export function cacheControl(cache: CacheBreakpoint): Record<string, string> {
  return cache.ttl === undefined ? { type: 'ephemeral' } : { type: 'ephemeral', ttl: cache.ttl };
}

function isBlock(value: unknown): value is Block {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function countMarks(blocks: unknown): number {
  return Array.isArray(blocks) ? blocks.filter((block) => isBlock(block) && block.cache_control !== undefined).length : 0;
}

function existingBreakpoints(body: Block): number {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  return countMarks(body.tools) + countMarks(body.system) + messages.reduce<number>((sum, message) => sum + (isBlock(message) ? countMarks(message.content) : 0), 0);
}

/** Thinking blocks cannot carry cache_control; the marker goes on the last block that can. */
function lastMarkable(blocks: unknown[]): Block | undefined {
  for (let index = blocks.length - 1; index >= 0; index -= 1) {
    const block = blocks[index];
    if (isBlock(block) && block.type !== 'thinking' && block.type !== 'redacted_thinking') return block;
  }
  return undefined;
}

function markLast(blocks: unknown[]): boolean {
  const block = lastMarkable(blocks);
  if (!block || block.cache_control !== undefined) return false;
  block.cache_control = { type: 'ephemeral' };
  return true;
}

function messageCandidate(message: Block): BreakpointCandidate {
  return () => {
    if (typeof message.content === 'string') {
      if (message.content === '') return false;
      message.content = [{ type: 'text', text: message.content }];
    }
    return Array.isArray(message.content) && markLast(message.content);
  };
}

function userTurns(body: Block): Block[] {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  return messages.filter((message): message is Block => isBlock(message) && message.role === 'user');
}

function systemCandidate(body: Block): BreakpointCandidate {
  return () => {
    if (typeof body.system === 'string') {
      if (body.system === '') return false;
      body.system = [{ type: 'text', text: body.system }];
    }
    return Array.isArray(body.system) && markLast(body.system);
  };
}

/**
 * Adds breakpoints on the stable prefix of a Messages API body (`promptCache: auto`) by the shared policy: the newest
 * user turn (what the next request reads back), the turn before it (what this request can read from the previous one),
 * the end of the system prompt and the end of the tools. Blocks the client marked are left as they are, and the total
 * never exceeds four. Returns a copy; the body passed in is not changed.
 */
export function addCacheBreakpoints(input: Block): Block {
  const body = structuredClone(input);
  const turns = userTurns(body);
  const last = turns.at(-1);
  const previous = turns.at(-2);
  const candidates: PrefixCandidates = { system: systemCandidate(body) };
  if (last) candidates.lastTurn = messageCandidate(last);
  if (previous) candidates.previousTurn = messageCandidate(previous);
  if (Array.isArray(body.tools)) {
    const tools = body.tools;
    candidates.tools = () => markLast(tools);
  }
  placeBreakpoints(candidates, existingBreakpoints(body));
  return body;
}
