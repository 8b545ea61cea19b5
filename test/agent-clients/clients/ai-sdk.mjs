// The Vercel AI SDK: `node ai-sdk.mjs <responses|chat|anthropic> <stream|tools>`. `responses` is the default
// `openai(model)` (Responses API), `chat` is `openai.chat(model)`, `anthropic` is `anthropic(model)`. `stream`
// streams a plain answer; `tools` streams a multi-step run with a tool that executes.
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { jsonSchema, stepCountIs, streamText, tool } from 'ai';
import { agentTask, checkFinalText, checkWritten, gatewayKey, gatewayUrl, main, model, writeFileSchema, writeFileTool } from './lib.mjs';

const [flavour = 'responses', mode = 'stream'] = process.argv.slice(2);

function languageModel() {
  if (flavour === 'anthropic') return createAnthropic({ apiKey: gatewayKey, baseURL: `${gatewayUrl}/v1` })(model);
  const openai = createOpenAI({ apiKey: gatewayKey, baseURL: `${gatewayUrl}/v1` });
  return flavour === 'chat' ? openai.chat(model) : openai(model);
}

/** streamText reports failures through onError and an empty stream, not by throwing; keep the first one. */
async function streamed(options) {
  let failure;
  const result = streamText({ ...options, maxRetries: 0, onError: ({ error }) => (failure ??= error) });
  let text = '';
  for await (const part of result.fullStream) {
    if (part.type === 'text-delta') text += part.text;
    if (part.type === 'error') failure ??= part.error;
  }
  if (failure) throw failure;
  return text;
}

await main(async () => {
  if (mode === 'stream') {
    const text = await streamed({ model: languageModel(), prompt: 'Say hello.' });
    if (text.trim() === '') throw new Error('the stream carried no text');
    return;
  }
  const task = agentTask();
  const writeFile = tool({ description: 'Writes text to a file', inputSchema: jsonSchema(writeFileSchema), execute: writeFileTool() });
  const text = await streamed({ model: languageModel(), prompt: task.prompt, tools: { write_file: writeFile }, stopWhen: stepCountIs(4) });
  checkWritten(task);
  checkFinalText(text);
});
