// The `openai` client's Responses API: `node openai-responses.mjs <plain|stream|multi-turn>`.
import OpenAI from 'openai';
import { gatewayKey, gatewayUrl, main, model } from './lib.mjs';

const mode = process.argv[2] ?? 'plain';
const client = new OpenAI({ apiKey: gatewayKey, baseURL: `${gatewayUrl}/v1`, maxRetries: 0 });

function nonEmpty(text, what) {
  if (typeof text !== 'string' || text.trim() === '') throw new Error(`${what} has no output_text`);
}

await main(async () => {
  if (mode === 'stream') {
    const stream = await client.responses.create({ model, input: 'Say hello.', stream: true });
    let text = '';
    let completed;
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') completed = event.response;
      if (event.type === 'error' || event.type === 'response.failed') throw new Error(`stream event ${event.type}: ${JSON.stringify(event).slice(0, 300)}`);
    }
    nonEmpty(text, 'the stream');
    if (!completed) throw new Error('the stream ended without response.completed');
    return;
  }
  const first = await client.responses.create({ model, input: 'Say hello.' });
  nonEmpty(first.output_text, 'the response');
  if (mode !== 'multi-turn') return;
  const second = await client.responses.create({ model, input: 'And again.', previous_response_id: first.id });
  nonEmpty(second.output_text, 'the second response');
  if (second.previous_response_id !== first.id) throw new Error(`previous_response_id came back as ${second.previous_response_id}, not ${first.id}`);
});
