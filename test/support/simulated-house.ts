import { startOpenAiSimulator, type OpenAiSimulator } from '../simulators/openai-simulator.js';
import { startTestGateway, type TestGateway } from './test-gateway.js';

export interface House {
  simulator: OpenAiSimulator;
  gateway: TestGateway;
  /** A Chat Completions request for the `house` model with the gateway's client key, or the one given. */
  chat(key?: string): Promise<Response>;
  stop(): Promise<void>;
}

export const houseChatBody = JSON.stringify({ model: 'house', messages: [{ role: 'user', content: 'hello there' }] });

/** A gateway with the given `server:` settings, serving the model `house` from an OpenAI simulator. */
export async function startHouse(server: Record<string, unknown>): Promise<House> {
  const simulator = await startOpenAiSimulator();
  const gateway = await startTestGateway({ server, providers: { sim: { type: 'openai', baseUrl: simulator.url, apiKey: 'x' } }, models: { house: { provider: 'sim' } } });
  return {
    simulator,
    gateway,
    chat: (key = gateway.clientKey) =>
      fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: houseChatBody }),
    async stop() {
      await gateway.stop();
      await simulator.close();
    },
  };
}
