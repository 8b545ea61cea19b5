// The OpenAI Agents SDK: an agent with a function tool, run through the gateway (Responses API by default, or
// Chat Completions with `chat` as the first argument), tracing off.
import { Agent, run, setDefaultOpenAIClient, setOpenAIAPI, setTracingDisabled, tool } from '@openai/agents';
import OpenAI from 'openai';
import { z } from 'zod';
import { agentTask, checkFinalText, checkWritten, gatewayKey, gatewayUrl, main, model, writeFileTool } from './lib.mjs';

await main(async () => {
  const task = agentTask();
  setTracingDisabled(true);
  setDefaultOpenAIClient(new OpenAI({ apiKey: gatewayKey, baseURL: `${gatewayUrl}/v1`, maxRetries: 0 }));
  setOpenAIAPI(process.argv[2] === 'chat' ? 'chat_completions' : 'responses');
  const writeFile = tool({
    name: 'write_file',
    description: 'Writes text to a file',
    parameters: z.object({ path: z.string(), content: z.string() }),
    execute: writeFileTool(),
  });
  const agent = new Agent({ name: 'writer', instructions: 'Use write_file for the task.', model, tools: [writeFile] });
  const result = await run(agent, task.prompt, { maxTurns: 4 });
  checkWritten(task);
  checkFinalText(result.finalOutput);
});
