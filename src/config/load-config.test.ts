import assert from 'node:assert/strict';
import { test } from 'node:test';
import { load } from 'js-yaml';
import { providersFromEnv } from './env-providers.js';
import { ConfigError, parseConfig } from './load-config.js';

// The example of the product brief, verbatim.
const productExample = `
providers:
  openai:    { type: openai, apiKey: "\${OPENAI_API_KEY}" }
  anthropic: { type: anthropic, apiKey: "\${ANTHROPIC_API_KEY}" }
  gemini:    { type: gemini, apiKey: "\${GEMINI_API_KEY}" }
  gpu-east:                        # any OpenAI-compatible server: vLLM, Ollama, llama.cpp, TGI
    type: openai
    baseUrl: http://10.0.0.5:8000/v1
    private: true                  # data stays on infrastructure you control
    hosting: { cloud: coreweave, region: us-east, gpu: H100, gpus: 1, pricePerHour: 2.49 }

models:                            # names apps may call, each bound to a provider's model
  gpt-4o-mini:   { provider: openai }
  claude-sonnet: { provider: anthropic, model: claude-sonnet-4-5 }
  llama-70b:     { provider: gpu-east, model: meta-llama/Llama-3.3-70B-Instruct }
  house-model:   { provider: gpu-east, model: house, price: { input: 0.10, output: 0.40 } }  # $ per 1M tokens

routes:                            # virtual model names with a routing policy
  chat:
    strategy: fallback             # fallback | weighted | cheapest | fastest | cascade | router
    targets: [claude-sonnet, gpt-4o-mini, llama-70b]
  support:
    strategy: cheapest
    targets: [gpt-4o-mini, llama-70b]
    privacy: redact                # off | redact | private-only | reject: personal and secret data
    cache: { mode: exact, ttlSeconds: 3600 }   # off | exact | semantic
`;

const env = { OPENAI_API_KEY: 'sk-o', ANTHROPIC_API_KEY: 'sk-a', GEMINI_API_KEY: 'g' };

function problemsOf(raw: unknown, environment: Record<string, string> = env): string[] {
  try {
    parseConfig(raw, environment);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  assert.fail('the configuration was accepted');
}

test('the product brief example is accepted verbatim, with its variables interpolated', () => {
  const config = parseConfig(load(productExample), env);
  assert.equal(config.providers.openai?.apiKey, 'sk-o');
  assert.equal(config.providers['gpu-east']?.private, true);
  assert.equal(config.providers['gpu-east']?.hosting?.pricePerHour, 2.49);
  assert.deepEqual(config.models['house-model']?.price, { input: 0.1, output: 0.4 });
  assert.equal(config.routes.support?.strategy, 'cheapest');
  assert.equal(config.routes.support?.cache?.mode, 'exact');
  assert.equal(config.server.port, 4000);
});

test('an unset variable is an error that names it and its path', () => {
  assert.deepEqual(problemsOf(load(productExample), { OPENAI_API_KEY: 'x', GEMINI_API_KEY: 'y' }), ['providers.anthropic.apiKey: environment variable ANTHROPIC_API_KEY is not set']);
});

test('defaults and escapes in interpolation', () => {
  const config = parseConfig({ providers: { a: { type: 'openai', baseUrl: '${BASE:-http://127.0.0.1:8000/v1}', headers: { x: '$${literal}' } } } }, {});
  assert.equal(config.providers.a?.baseUrl, 'http://127.0.0.1:8000/v1');
  assert.equal(config.providers.a?.headers?.x, '${literal}');
});

test('every problem is reported at once with its path', () => {
  const problems = problemsOf({
    providers: { gpu: { type: 'openai' }, odd: { type: 'telepathy' } },
    models: { 'llama-70b': { provider: 'gpu-west' } },
    routes: { chat: { strategy: 'roulette', targets: ['llama-70b'] }, other: { strategy: 'fallback', targets: ['nope'] } },
    extra: true,
  });
  assert.ok(problems.includes('models.llama-70b.provider: unknown provider "gpu-west"'), problems.join('\n'));
  assert.ok(problems.includes('(root): unknown field "extra"'), problems.join('\n'));
  assert.ok(problems.some((problem) => problem.startsWith('providers.odd.type:')), problems.join('\n'));
  assert.ok(problems.some((problem) => problem.startsWith('routes.chat.strategy: must be one of')), problems.join('\n'));
  assert.ok(problems.includes('routes.other.targets.0: unknown model "nope"'), problems.join('\n'));
});

test('without a file, providers come from the usual environment variables', () => {
  assert.deepEqual(providersFromEnv({ OPENAI_API_KEY: 'sk', OLLAMA_HOST: '127.0.0.1:11434', UNRELATED: 'x' }), {
    openai: { type: 'openai', apiKey: 'sk' },
    ollama: { type: 'ollama', baseUrl: 'http://127.0.0.1:11434/v1' },
  });
});
