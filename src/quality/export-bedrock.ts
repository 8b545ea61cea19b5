import type { Message } from '../core/canonical.js';
import type { DatasetItem } from './dataset.js';
import { attempt, leadingSystem, skip, textOf, trainingConversation, type ExportResult } from './export-conversation.js';

interface Turn {
  role: 'user' | 'assistant';
  content: string;
}

function turnOf(message: Exclude<Message, { role: 'system' }>): Turn {
  if (message.role === 'tool' || (message.role === 'assistant' && message.toolCalls?.length)) skip('tool use (the Bedrock Claude conversation format has none)');
  if (message.role === 'user') {
    if (message.content.some((part) => part.type === 'image')) skip('images (the Bedrock Claude conversation format is text only)');
    if (message.content.some((part) => part.type === 'file' && part.text === undefined)) skip('files (the Bedrock Claude conversation format is text only)');
    const content = message.content.map((part) => (part.type === 'file' ? (part.text ?? '') : part.type === 'text' ? part.text : '')).join('\n');
    return { role: 'user', content };
  }
  return { role: 'assistant', content: textOf(message.content) };
}

/**
 * The conversation format of Claude fine-tuning on Bedrock: an optional `system` string and `messages` of string
 * content that start with the user, alternate, and end with the assistant; no other keys
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/model-customization-prepare.html). Consecutive messages of one
 * role are joined into one turn.
 */
export function toBedrockLine(item: DatasetItem): ExportResult {
  return attempt(() => {
    if (item.request.tools?.length) skip('tool use (the Bedrock Claude conversation format has none)');
    const { system, rest } = leadingSystem(trainingConversation(item));
    const turns: Turn[] = [];
    for (const message of rest) {
      if (message.role === 'system') continue;
      const turn = turnOf(message);
      const last = turns.at(-1);
      if (last && last.role === turn.role) last.content = `${last.content}\n\n${turn.content}`;
      else turns.push(turn);
    }
    if (turns[0]?.role !== 'user') skip('conversation does not start with a user message');
    if (turns.some((turn) => turn.content.trim() === '')) skip('empty message');
    return system === undefined ? { messages: turns } : { system, messages: turns };
  });
}
