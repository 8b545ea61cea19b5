import OpenAI from 'openai';
import { startOpenAiSimulator, type OpenAiSimulator } from '../simulators/openai-simulator.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

export interface ConsoleFixture {
  simulator: OpenAiSimulator;
  gateway: TestGateway;
  stop(): Promise<void>;
}

/**
 * A gateway with two providers on one loopback simulator (an API and a self-hosted GPU server), a route over both,
 * and simulated traffic: streamed and plain requests of two customers, and failures the upstream answers with 500.
 */
export async function startConsoleFixture(): Promise<ConsoleFixture> {
  const simulator = await startOpenAiSimulator();
  const gateway = await startTestGateway({
    providers: {
      openai: { type: 'openai', baseUrl: simulator.url, apiKey: 'sim-key' },
      'gpu-east': { type: 'openai', baseUrl: simulator.url, apiKey: 'sim-key', private: true, hosting: { cloud: 'coreweave', gpu: 'H100', gpus: 1, pricePerHour: 2.49 } },
    },
    models: {
      'gpt-4o-mini': { provider: 'openai', price: { input: 0.15, output: 0.6 } },
      house: { provider: 'gpu-east', model: 'house-v1', price: { input: 1, output: 2 } },
    },
    routes: { chat: { strategy: 'fallback', targets: ['house', 'gpt-4o-mini'] } },
  });
  const client = gateway.client;
  for (let index = 0; index < 12; index += 1) {
    const model = index % 3 === 0 ? 'chat' : index % 3 === 1 ? 'gpt-4o-mini' : 'house';
    const user = index % 2 === 0 ? 'acme' : 'globex';
    if (index % 4 === 0) {
      const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: `question ${index}` }], stream: true, stream_options: { include_usage: true }, user });
      for await (const _chunk of stream) void _chunk;
    } else await client.chat.completions.create({ model, messages: [{ role: 'user', content: `question ${index}` }], user });
  }
  simulator.behave({ kind: 'status', status: 500, body: { error: { message: 'upstream broke', type: 'server_error' } } });
  for (let index = 0; index < 2; index += 1) {
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'fails' }], user: 'acme' }).catch((error: unknown) => {
      if (!(error instanceof OpenAI.APIError)) throw error;
    });
  }
  simulator.behave({ kind: 'ok' });
  return {
    simulator,
    gateway,
    async stop() {
      await gateway.stop();
      await simulator.close();
    },
  };
}
