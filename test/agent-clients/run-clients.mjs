#!/usr/bin/env node
// Runs real agent clients through a Switchyard gateway in front of simulated OpenAI, Anthropic, Gemini and Bedrock
// upstreams, and prints client x provider -> pass/fail with the first error line. Exit code 1 if any row fails.
// Expects the root build (dist/) and this folder's node_modules. Loopback only; every client run is time-limited.
// Options: --only <substring> (rows whose client name contains it), --log-dir <dir> (what each upstream received).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = (path) => join(root, 'dist', path);
const { startOpenAiSimulator } = await import(dist('test/simulators/openai-simulator.js'));
const { startAnthropicSimulator } = await import(dist('test/simulators/anthropic-simulator.js'));
const { startGeminiSimulator } = await import(dist('test/simulators/gemini-simulator.js'));
const { startBedrockSimulator } = await import(dist('test/simulators/bedrock-simulator.js'));
const { startTestGateway } = await import(dist('test/support/test-gateway.js'));

const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const only = option('--only');
const logDir = option('--log-dir');
const timeoutMs = 90_000;

/** Each client, as script + arguments; every one runs against every provider's model. */
const clients = [
  ['claude-code', 'claude-code.mjs'],
  ['codex-cli', 'codex.mjs'],
  ['agents-sdk (responses)', 'openai-agents.mjs', 'responses'],
  ['agents-sdk (chat)', 'openai-agents.mjs', 'chat'],
  ['ai-sdk openai() stream', 'ai-sdk.mjs', 'responses', 'stream'],
  ['ai-sdk openai() tools', 'ai-sdk.mjs', 'responses', 'tools'],
  ['ai-sdk openai.chat() stream', 'ai-sdk.mjs', 'chat', 'stream'],
  ['ai-sdk openai.chat() tools', 'ai-sdk.mjs', 'chat', 'tools'],
  ['ai-sdk anthropic() stream', 'ai-sdk.mjs', 'anthropic', 'stream'],
  ['ai-sdk anthropic() tools', 'ai-sdk.mjs', 'anthropic', 'tools'],
  ['langchain ChatOpenAI', 'langchain.mjs', 'openai'],
  ['langchain ChatAnthropic', 'langchain.mjs', 'anthropic'],
  ['openai responses.create', 'openai-responses.mjs', 'plain'],
  ['openai responses stream', 'openai-responses.mjs', 'stream'],
  ['openai responses multi-turn', 'openai-responses.mjs', 'multi-turn'],
].filter(([name]) => !only || name.includes(only));

const simulators = {
  openai: await startOpenAiSimulator(),
  anthropic: await startAnthropicSimulator(),
  gemini: await startGeminiSimulator(),
  bedrock: await startBedrockSimulator(),
};
const gateway = await startTestGateway({
  // A failing client must not open a circuit for the rows after it.
  resilience: { breaker: { consecutiveFailures: 1_000, minimumRequests: 1_000 } },
  providers: {
    openai: { type: 'openai', baseUrl: simulators.openai.url, apiKey: 'sk-sim-openai' },
    anthropic: { type: 'anthropic', baseUrl: simulators.anthropic.url, apiKey: 'sk-ant-sim' },
    gemini: { type: 'gemini', baseUrl: simulators.gemini.url, apiKey: 'gemini-sim-key' },
    bedrock: { type: 'bedrock', baseUrl: simulators.bedrock.url, options: { region: 'eu-west-3', accessKeyId: 'AKIASIMULATOR', secretAccessKey: 'simulator-secret-key' } },
  },
  models: {
    'sim-openai': { provider: 'openai', model: 'gpt-sim' },
    'sim-anthropic': { provider: 'anthropic', model: 'claude-sim' },
    'sim-gemini': { provider: 'gemini', model: 'gemini-sim' },
    'sim-bedrock': { provider: 'bedrock', model: 'anthropic.claude-sim-v1:0' },
  },
});

function runClient(script, scriptArgs, modelName) {
  return new Promise((resolve) => {
    const env = { ...process.env, SWITCHYARD_URL: gateway.url, SWITCHYARD_KEY: gateway.clientKey, SWITCHYARD_MODEL: modelName };
    const child = spawn(process.execPath, [join(root, 'test/agent-clients/clients', script), ...scriptArgs], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      output += `FAIL timed out after ${timeoutMs} ms\n`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const rows = [];
for (const [name, script, ...scriptArgs] of clients) {
  for (const provider of Object.keys(simulators)) {
    const before = simulators[provider].received.length;
    const started = Date.now();
    const { code, output } = await runClient(script, scriptArgs, `sim-${provider}`);
    const failLine = output.split('\n').find((line) => line.startsWith('FAIL')) ?? output.trim().split('\n').at(-1) ?? '';
    const pass = code === 0 && output.includes('PASS');
    rows.push({ client: name, provider, pass, detail: pass ? '' : failLine.replace(/^FAIL /, '').slice(0, 240), ms: Date.now() - started });
    console.error(`${pass ? 'pass' : 'FAIL'} ${name} x ${provider}${pass ? '' : `: ${failLine}`}`);
    if (logDir) {
      mkdirSync(logDir, { recursive: true });
      const file = `${name.replace(/[^a-z0-9]+/gi, '-')}--${provider}`;
      writeFileSync(join(logDir, `${file}.received.json`), JSON.stringify(simulators[provider].received.slice(before), null, 1));
      writeFileSync(join(logDir, `${file}.output.txt`), output);
    }
  }
}

await gateway.stop();
await Promise.all(Object.values(simulators).map((simulator) => simulator.close()));

const width = Math.max(...rows.map((row) => row.client.length));
console.log(`${'client'.padEnd(width)}  ${'provider'.padEnd(9)}  result`);
for (const row of rows) console.log(`${row.client.padEnd(width)}  ${row.provider.padEnd(9)}  ${row.pass ? 'pass' : `FAIL ${row.detail}`}`);
const failed = rows.filter((row) => !row.pass).length;
console.log(`\n${rows.length - failed}/${rows.length} passed`);
console.log(`RESULT ${JSON.stringify(rows)}`);
process.exit(failed === 0 ? 0 : 1);
