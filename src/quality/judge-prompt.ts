import type { ChatRequest, Message } from '../core/canonical.js';
import type { EvaluatedAnswer } from './evaluation-types.js';

/** Section headings of a judge's prompt; the verdict line formats the judge is asked to end with. */
export const judgeSections = { conversation: '[Conversation]', reference: '[Reference answer]', answer: '[Answer]', answerA: '[Answer A]', answerB: '[Answer B]' } as const;

function renderMessage(message: Message): string {
  switch (message.role) {
    case 'system':
      return `system: ${message.content}`;
    case 'user':
      return `user: ${message.content.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`)).join(' ')}`;
    case 'assistant': {
      const calls = (message.toolCalls ?? []).map((call) => ` [calls ${call.name}(${call.arguments})]`).join('');
      return `assistant: ${message.content.map((part) => part.text).join('')}${calls}`;
    }
    case 'tool':
      return `tool result: ${message.content}`;
  }
}

/** A conversation as plain lines, `role: text`. */
export function renderConversation(messages: Message[]): string {
  return messages.map(renderMessage).join('\n');
}

export function renderAnswer(answer: EvaluatedAnswer): string {
  const calls = answer.toolCalls.map((call) => `[calls ${call.name}(${call.arguments})]`);
  return [answer.text, ...calls].filter((line) => line !== '').join('\n');
}

function judgeRequest(judge: string, system: string, sections: Array<[string, string]>): ChatRequest {
  const user = sections.map(([heading, text]) => `${heading}\n${text}`).join('\n\n');
  return { model: judge, stream: false, temperature: 0, maxTokens: 300, messages: [{ role: 'system', content: system }, { role: 'user', content: [{ type: 'text', text: user }] }] };
}

export interface PointwisePrompt {
  judge: string;
  rubric: string;
  scale: '1-10' | 'pass-fail';
  conversation: Message[];
  reference: string | undefined;
  answer: EvaluatedAnswer;
}

export function pointwiseRequest(prompt: PointwisePrompt): ChatRequest {
  const ending = prompt.scale === '1-10' ? 'End with one line "Score: N", N a whole number from 1 (worst) to 10 (best).' : 'End with one line "Verdict: PASS" or "Verdict: FAIL".';
  const system = `You grade one answer of an assistant against a rubric. Rubric: ${prompt.rubric}\nExplain briefly, then decide. ${ending}`;
  const sections: Array<[string, string]> = [[judgeSections.conversation, renderConversation(prompt.conversation)]];
  if (prompt.reference !== undefined) sections.push([judgeSections.reference, prompt.reference]);
  sections.push([judgeSections.answer, renderAnswer(prompt.answer)]);
  return judgeRequest(prompt.judge, system, sections);
}

export interface PairwisePrompt {
  judge: string;
  rubric: string;
  conversation: Message[];
  first: EvaluatedAnswer;
  second: EvaluatedAnswer;
}

export function pairwiseRequest(prompt: PairwisePrompt): ChatRequest {
  const system = `You compare two answers of assistants to the same conversation against a rubric. Rubric: ${prompt.rubric}\nExplain briefly, then end with one line "Winner: A", "Winner: B" or "Winner: tie".`;
  return judgeRequest(prompt.judge, system, [
    [judgeSections.conversation, renderConversation(prompt.conversation)],
    [judgeSections.answerA, renderAnswer(prompt.first)],
    [judgeSections.answerB, renderAnswer(prompt.second)],
  ]);
}

/** The last verdict line wins, so a judge that reasons about "Score: 3" before settling on 8 is read as 8. */
function lastMatch(text: string, pattern: RegExp): RegExpExecArray | undefined {
  let found: RegExpExecArray | undefined;
  for (const match of text.matchAll(pattern)) found = match as RegExpExecArray;
  return found;
}

/** A pointwise verdict as a score in [0, 1]: 1..10 maps to (N - 1) / 9, PASS to 1 and FAIL to 0; undefined when absent. */
export function parsePointwise(text: string, scale: '1-10' | 'pass-fail'): number | undefined {
  if (scale === 'pass-fail') {
    const match = lastMatch(text, /verdict\s*[:=]\s*\**\s*(pass|fail)/gi);
    return match ? ((match[1] as string).toLowerCase() === 'pass' ? 1 : 0) : undefined;
  }
  const match = lastMatch(text, /score\s*[:=]\s*\**\s*(\d+(?:\.\d+)?)/gi);
  const score = match ? Number(match[1]) : NaN;
  return score >= 1 && score <= 10 ? (score - 1) / 9 : undefined;
}

export function parsePairwise(text: string): 'A' | 'B' | 'tie' | undefined {
  const match = lastMatch(text, /winner\s*[:=]\s*\**\s*(a|b|tie)\b/gi);
  if (!match) return undefined;
  const winner = (match[1] as string).toLowerCase();
  return winner === 'tie' ? 'tie' : winner === 'a' ? 'A' : 'B';
}

/**
 * Two judgements of the same pair, the candidate shown first and then second, so that a judge's preference for a
 * position cancels: the candidate wins only when both orders prefer it, loses only when both prefer the baseline.
 */
export function combineOrders(candidateFirst: 'A' | 'B' | 'tie', candidateSecond: 'A' | 'B' | 'tie'): 'win' | 'tie' | 'loss' {
  if (candidateFirst === 'A' && candidateSecond === 'B') return 'win';
  if (candidateFirst === 'B' && candidateSecond === 'A') return 'loss';
  return 'tie';
}
