import type { DatasetItem } from './dataset.js';
import { attempt, type ExportResult } from './export-conversation.js';
import { openAiMessages, openAiTools } from './export-openai.js';

/**
 * Plain evaluation JSONL: `input` (a string for a lone user text message, else OpenAI chat messages), `expected` (the
 * reference text), `expected_tool_calls` and `tools` when there are any, and `metadata`. Items without a reference
 * are written without `expected`: an evaluation can still score them with a judge.
 */
export function toEvalLine(item: DatasetItem): ExportResult {
  return attempt(() => {
    const messages = item.request.messages;
    const only = messages.length === 1 ? messages[0] : undefined;
    const simple = only?.role === 'user' && only.content.length === 1 && only.content[0]?.type === 'text' && !item.request.tools?.length;
    const line: Record<string, unknown> = { input: simple && only.content[0]?.type === 'text' ? only.content[0].text : openAiMessages(messages, { files: true }) };
    if (item.request.tools?.length) line.tools = openAiTools(item.request.tools);
    const reference = item.reference;
    if (reference) {
      line.expected = reference.text;
      if (reference.toolCalls.length > 0) line.expected_tool_calls = reference.toolCalls.map((call) => ({ name: call.name, arguments: call.arguments }));
    }
    line.metadata = item.metadata;
    return line;
  });
}
