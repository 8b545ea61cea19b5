// LangChain: `node langchain.mjs <openai|anthropic>`. ChatOpenAI or ChatAnthropic with a bound tool: the model calls
// it, the script runs it and sends the ToolMessage back, the model answers.
import { ChatAnthropic } from '@langchain/anthropic';
import { HumanMessage, ToolMessage } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import { agentTask, checkFinalText, checkWritten, gatewayKey, gatewayUrl, main, model, writeFileSchema, writeFileTool } from './lib.mjs';

const flavour = process.argv[2] ?? 'openai';

function chatModel() {
  if (flavour === 'anthropic') return new ChatAnthropic({ model, apiKey: gatewayKey, anthropicApiUrl: gatewayUrl, maxRetries: 0, maxTokens: 256 });
  return new ChatOpenAI({ model, apiKey: gatewayKey, configuration: { baseURL: `${gatewayUrl}/v1` }, maxRetries: 0 });
}

await main(async () => {
  const task = agentTask();
  const bound = chatModel().bindTools([{ type: 'function', function: { name: 'write_file', description: 'Writes text to a file', parameters: writeFileSchema } }]);
  const messages = [new HumanMessage(task.prompt)];
  const first = await bound.invoke(messages);
  const call = first.tool_calls?.[0];
  if (!call) throw new Error(`no tool call in the first answer: ${JSON.stringify(first.content).slice(0, 200)}`);
  const output = await writeFileTool()(call.args);
  messages.push(first, new ToolMessage({ content: output, tool_call_id: call.id ?? '' }));
  const second = await bound.invoke(messages);
  checkWritten(task);
  checkFinalText(typeof second.content === 'string' ? second.content : second.content.map((part) => part.text ?? '').join(''));
});
