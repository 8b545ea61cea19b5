import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { startAnthropicSimulator } from './simulators/anthropic-simulator.js';
import type { ProviderSimulator } from './simulators/loopback-server.js';
import { startOtlpReceiver, type OtlpReceiver } from './support/otlp-receiver.js';
import { startOpenAiSimulator, type OpenAiSimulator } from './simulators/openai-simulator.js';
import { startReflectingUpstream, type ReflectedFormat, type ReflectingBehaviour, type ReflectingUpstream } from './simulators/reflecting-upstream.js';
import { dataDirectoryChannel, findSecrets, httpChannel, recordedChannel, type ChannelOutput, type OutputChannel } from './support/secret-channels.js';
import { spawnGateway, type SpawnedGateway } from './support/spawn-gateway.js';

const binary = fileURLToPath(new URL('../../bin/switchyard.js', import.meta.url));

/** Recognisable credentials of every kind the gateway holds; none may show up anywhere but where it is sent. */
const planted = {
  openaiKey: 'sk-proj-PLANTEDopenaiQ7f3Zr9Lm2Xw8Kd4Vb6Nc1Hj5',
  anthropicKey: 'sk-ant-api03-PLANTEDanthropicT4g8Yp2Rs6Wq0Ee3Uz',
  geminiKey: 'AIzaPLANTEDgeminiKm3Jd8Sx5Lq1Vr7Ty9Fw2Ph',
  cohereKey: 'PLANTEDcohere5Zt8Qm1Xc4Vn7Bk0Lj3Hd6Gs9',
  mistralKey: 'PLANTEDmistral2Wy5Ru8Ip1Oa4Sd7Fg0Hj3Kl',
  azureKey: 'PLANTEDazure7c1e9b3d5f2a8c4e6b0d9f1a3c5e7b',
  awsAccessKeyId: 'AKIAPLANTEDAWS7QX3ZR9',
  awsSecretAccessKey: 'PLANTEDawsSecret/q8Zr3Lm9Xw2Kd7Vb4Nc6Hj1Tg5Ys0',
  awsSessionToken: 'PLANTEDawsSession+Fq2Wd8Rt4Ym6Ua0Ic3Op9As5Df7Gh1',
  customHeaderSecret: 'PLANTEDheaderOrg-x9Y2z7W4v1U8t5S3r6Q0p',
  adminKey: 'sy-admin-PLANTEDadminR8t3Yu6Io9Pa2Sd5Fg',
};

/** Env-provided secrets: their values reach the gateway only through `${NAME}` in the configuration. */
const plantedEnv: Record<string, string> = {
  OPENAI_API_KEY: planted.openaiKey,
  GEMINI_API_KEY: planted.geminiKey,
  AWS_ACCESS_KEY_ID: planted.awsAccessKeyId,
  AWS_SECRET_ACCESS_KEY: planted.awsSecretAccessKey,
  AWS_SESSION_TOKEN: planted.awsSessionToken,
  SWITCHYARD_ADMIN_KEY: planted.adminKey,
  SWITCHYARD_LOG_LEVEL: 'debug',
};

const providerSecrets = ['openaiKey', 'anthropicKey', 'geminiKey', 'cohereKey', 'mistralKey', 'azureKey', 'awsAccessKeyId', 'awsSecretAccessKey', 'awsSessionToken', 'customHeaderSecret'];

interface Reflectors {
  openai: ReflectingUpstream;
  anthropic: ReflectingUpstream;
  gemini: ReflectingUpstream;
  bedrock: ReflectingUpstream;
  cohere: ReflectingUpstream;
}

function configFor(openai: OpenAiSimulator, anthropic: ProviderSimulator, reflect: Reflectors): Record<string, unknown> {
  const quick = { firstByteMs: 400 };
  const captured = { capture: { sample: 1 } };
  return {
    resilience: { breaker: { consecutiveFailures: 100_000, minimumRequests: 100_000 } },
    metrics: { rating: { type: 'float', min: 1, max: 5 } },
    prometheus: { enabled: true },
    providers: {
      'openai-ok': { type: 'openai', baseUrl: openai.url, apiKey: '${OPENAI_API_KEY}', headers: { 'openai-organization': planted.customHeaderSecret } },
      'anthropic-ok': { type: 'anthropic', baseUrl: anthropic.url, apiKey: planted.anthropicKey },
      'echo-openai': { type: 'openai', baseUrl: reflect.openai.url, apiKey: '${OPENAI_API_KEY}', headers: { 'openai-organization': planted.customHeaderSecret }, timeouts: quick },
      'echo-mistral': { type: 'mistral', baseUrl: reflect.openai.url, apiKey: planted.mistralKey, timeouts: quick },
      'echo-azure': { type: 'azure-openai', baseUrl: reflect.openai.url, apiKey: planted.azureKey, timeouts: quick },
      'echo-anthropic': { type: 'anthropic', baseUrl: reflect.anthropic.url, apiKey: planted.anthropicKey, timeouts: quick },
      'echo-gemini': { type: 'gemini', baseUrl: reflect.gemini.url, apiKey: '${GEMINI_API_KEY}', timeouts: quick },
      'echo-bedrock': { type: 'bedrock', baseUrl: reflect.bedrock.url, options: { region: 'us-east-1', accessKeyId: '${AWS_ACCESS_KEY_ID}', secretAccessKey: '${AWS_SECRET_ACCESS_KEY}', sessionToken: '${AWS_SESSION_TOKEN}' }, timeouts: quick },
      'echo-cohere': { type: 'cohere', baseUrl: reflect.cohere.url, apiKey: planted.cohereKey, timeouts: quick },
    },
    models: {
      'ok-chat': { provider: 'openai-ok', model: 'gpt-4o-mini', ...captured },
      'ok-claude': { provider: 'anthropic-ok', model: 'claude-sonnet-4-5', ...captured },
      ...Object.fromEntries(echoModels.map((name) => [name, { provider: name, model: `${name}-model`, ...captured }])),
    },
    routes: {
      'retry-then-ok': { strategy: 'fallback', targets: ['echo-openai', 'echo-anthropic', 'ok-chat'], retry: { attemptsPerTarget: 2, initialBackoffMs: 5, maxBackoffMs: 20 } },
      'all-failing': { strategy: 'fallback', targets: ['echo-gemini', 'echo-bedrock', 'echo-cohere'], retry: { attemptsPerTarget: 2, initialBackoffMs: 5, maxBackoffMs: 20 } },
    },
  };
}

const echoModels = ['echo-openai', 'echo-mistral', 'echo-azure', 'echo-anthropic', 'echo-gemini', 'echo-bedrock', 'echo-cohere'];

function runCommand(args: string[], env: Record<string, string>, cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binary, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve(`exit ${code}\n${output}`));
  });
}

describe('planted credentials reach no output channel', () => {
  let root: string;
  let dataDir: string;
  let traces: OtlpReceiver;
  let openai: OpenAiSimulator;
  let anthropic: ProviderSimulator;
  let reflect: Reflectors;
  let gateway: SpawnedGateway;
  const secrets: Record<string, string> = { ...planted };
  const answers: ChannelOutput[] = [];
  const commandOutput: ChannelOutput[] = [];
  const requestIds = new Set<string>();
  let env: Record<string, string>;

  const send = async (label: string, path: string, init: { method?: string; key?: string; headers?: Record<string, string>; body?: unknown } = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...init.headers };
    if (init.key !== undefined) headers.authorization = `Bearer ${init.key}`;
    const response = await fetch(`${gateway.url}${path}`, { method: init.method ?? (init.body === undefined ? 'GET' : 'POST'), headers, ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }) });
    const text = await response.text();
    const id = response.headers.get('x-request-id');
    if (id) requestIds.add(id);
    answers.push({ where: `${label}: ${init.method ?? 'POST'} ${path} (${response.status})`, text: `${JSON.stringify([...response.headers])}\n${text}` });
    return { status: response.status, text };
  };
  const admin = (path: string) => fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${planted.adminKey}` } });

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'switchyard-secrets-'));
    dataDir = join(root, 'data');
    mkdirSync(dataDir);
    openai = await startOpenAiSimulator();
    anthropic = await startAnthropicSimulator();
    const formats: ReflectedFormat[] = ['openai', 'anthropic', 'gemini', 'bedrock', 'cohere'];
    reflect = Object.fromEntries(await Promise.all(formats.map(async (format) => [format, await startReflectingUpstream(format)]))) as Reflectors;
    writeFileSync(join(root, 'switchyard.yaml'), JSON.stringify(configFor(openai, anthropic, reflect), null, 2));
    traces = await startOtlpReceiver();
    const tracing = { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: traces.tracesUrl, OTEL_BSP_SCHEDULE_DELAY: '50' };
    env = { ...plantedEnv, ...tracing, SWITCHYARD_DATA_DIR: dataDir };
    gateway = await spawnGateway(['--config', join(root, 'switchyard.yaml')], env, root);
  });

  after(async () => {
    if (gateway.process.exitCode === null) gateway.process.kill('SIGKILL');
    await Promise.all([openai.close(), anthropic.close(), traces.close(), ...Object.values(reflect).map((upstream) => upstream.close())]);
    rmSync(root, { recursive: true, force: true });
  });

  test('traffic with upstream errors, retries, timeouts and hostile keys leaves no credential behind', async () => {
    const created = (await (await fetch(`${gateway.url}/admin/keys`, { method: 'POST', headers: { authorization: `Bearer ${planted.adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'app' }) })).json()) as { id: string; key: string };
    const revoked = (await (await fetch(`${gateway.url}/admin/keys`, { method: 'POST', headers: { authorization: `Bearer ${planted.adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'old' }) })).json()) as { id: string; key: string };
    // The answers that create keys show them once, by design; they are not searched. Everything after is.
    secrets.clientKey = created.key;
    secrets.revokedKey = revoked.key;
    const key = created.key;
    const chat = (model: string, stream = false) => ({ model, stream, messages: [{ role: 'user', content: 'hello' }] });

    const ok = await send('success', '/v1/chat/completions', { key, body: chat('ok-chat') });
    assert.equal(ok.status, 200);
    await send('stream success', '/v1/chat/completions', { key, body: { ...chat('ok-chat', true), stream_options: { include_usage: true } } });
    await send('anthropic success', '/v1/messages', { key, body: { model: 'ok-claude', max_tokens: 64, messages: [{ role: 'user', content: 'hello' }] } });
    await send('stored response', '/v1/responses', { key, body: { model: 'ok-chat', input: 'hello', store: true } });
    await send('embeddings', '/v1/embeddings', { key, body: { model: 'ok-chat', input: 'hello' } });
    const firstId = [...requestIds][0] as string;
    await send('feedback', '/v1/feedback', { key, body: { requestId: firstId, metric: 'rating', value: 4, comment: 'fine' } });

    const behaviours: ReflectingBehaviour[] = [400, 401, 403, 404, 429, 500, 503].map((status) => ({ kind: 'status', status }) as const);
    behaviours.push({ kind: 'stream-error' }, { kind: 'malformed' }, { kind: 'hang' }, { kind: 'reset' });
    for (const behaviour of behaviours) {
      for (const upstream of Object.values(reflect)) upstream.behave(behaviour);
      const label = behaviour.kind === 'status' ? `upstream ${behaviour.status}` : `upstream ${behaviour.kind}`;
      for (const model of echoModels) {
        await send(label, '/v1/chat/completions', { key, body: chat(model) });
        await send(`${label} streamed`, '/v1/chat/completions', { key, body: chat(model, true) });
        await send(`${label} via messages`, '/v1/messages', { key, body: { model, max_tokens: 64, stream: behaviour.kind === 'stream-error', messages: [{ role: 'user', content: 'hello' }] } });
      }
      await send(`${label} retried`, '/v1/chat/completions', { key, body: chat('retry-then-ok') });
      await send(`${label} every target`, '/v1/chat/completions', { key, body: chat('all-failing', true) });
      await send(`${label} responses`, '/v1/responses', { key, body: { model: 'echo-openai', input: 'hello' } });
      await send(`${label} embeddings`, '/v1/embeddings', { key, body: { model: 'echo-openai', input: 'hello' } });
      await send(`${label} images`, '/v1/images/generations', { key, body: { model: 'echo-openai', prompt: 'a train' } });
      await send(`${label} count tokens`, '/v1/messages/count_tokens', { key, body: { model: 'echo-anthropic', messages: [{ role: 'user', content: 'hello' }] } });
    }
    assert.ok(Object.values(reflect).every((upstream) => upstream.received.length > 0), 'every reflecting upstream was reached');
    assert.ok(answers.some((answer) => answer.text.includes('[redacted]')), 'reflected credentials reached the gateway and were redacted, not merely absent');

    assert.equal((await fetch(`${gateway.url}/admin/keys/${revoked.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${planted.adminKey}` } })).status, 200);
    await send('revoked key', '/v1/chat/completions', { key: revoked.key, body: chat('ok-chat') });
    await send('admin key on a client route', '/v1/chat/completions', { key: planted.adminKey, body: chat('ok-chat') });
    await send('client key on the admin API', '/admin/keys', { method: 'GET', key });
    await send('a provider key presented as a client key', '/v1/chat/completions', { key: planted.openaiKey, body: chat('ok-chat') });
    await send('a provider key as x-api-key', '/v1/messages', { headers: { 'x-api-key': planted.anthropicKey }, body: { model: 'ok-claude', max_tokens: 8, messages: [] } });
    await send('a key in a bad body', '/v1/chat/completions', { key, body: `{"model": "${planted.adminKey}", "messages": [` });
    await send('dataset from captures', '/admin/datasets', { key: planted.adminKey, body: { name: 'captured', filter: {} } });

    const adminPaths = () => [
      '/admin/keys', '/admin/customers', '/admin/revenue', '/admin/capture', '/admin/health', '/admin/datasets', '/admin/evaluations',
      '/admin/datasets/captured/items', '/admin/datasets/captured/export?format=openai',
      ...['key', 'customer', 'model', 'provider', 'team', 'route', 'day'].map((group) => `/admin/usage?groupBy=${group}`),
      ...['provider', 'model', 'route', 'key', 'day'].map((group) => `/admin/reports/spend?groupBy=${group}`),
      '/admin/reports/margin?period=2026-12', '/admin/reports/graduation?model=ok-chat',
      '/admin/requests?limit=1000', ...[...requestIds].map((id) => `/admin/requests/${id}`),
    ];
    const channels: OutputChannel[] = [
      recordedChannel('answers to clients (bodies and headers)', answers),
      httpChannel('admin API', adminPaths, admin),
      // Channels other parts of the gateway add are one line each here.
      httpChannel('metrics', () => ['/metrics'], admin),
    ];
    const beforeStop = await findSecrets(channels, secrets);

    gateway.process.kill('SIGTERM');
    assert.equal(await gateway.exited, 0, 'the gateway shut down cleanly');
    for (const args of [['keys', 'list'], ['usage', '--group-by', 'provider'], ['usage', '--group-by', 'key', '--json'], ['report', 'spend', '--group-by', 'provider', '--json'], ['report', 'margin', '--period', '2026-12'], ['datasets', 'list'], ['datasets', 'export', 'captured', '--format', 'openai'], ['revenue', 'list'], ['keys', 'revoke', 'key_missing']]) {
      commandOutput.push({ where: `switchyard ${args.join(' ')}`, text: await runCommand(args, env, root) });
    }
    const brokenConfig = join(root, 'broken.yaml');
    writeFileSync(brokenConfig, JSON.stringify({ providers: { p: { type: '${OPENAI_API_KEY}', apiKey: '${OPENAI_API_KEY}' } }, models: { m: { provider: 'p', price: '${GEMINI_API_KEY}' } } }));
    commandOutput.push({ where: 'switchyard start with a credential in the wrong place', text: await runCommand(['start', '--config', brokenConfig], env, root) });

    const afterStop = await findSecrets([
      recordedChannel('gateway logs and console output', [{ where: 'switchyard start', text: gateway.output() }]),
      recordedChannel('command output', commandOutput),
      dataDirectoryChannel(dataDir),
      // The gateway exports its last spans as it shuts down.
      recordedChannel('traces', traces.spans.map((span) => ({ where: `span ${span.name}`, text: JSON.stringify(span, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)) }))),
      // Client and admin keys never travel upstream; each provider's own credentials do, so only those are checked here.
      recordedChannel('requests providers received', [...openai.received, ...anthropic.received, ...Object.values(reflect).flatMap((upstream) => upstream.received)].map((received) => ({ where: received.path, text: JSON.stringify(received) })), providerSecrets),
    ], secrets);

    const sightings = [...beforeStop, ...afterStop];
    assert.equal(sightings.length, 0, `credentials found:\n${sightings.map((seen) => `${seen.secret} (${seen.form}) in ${seen.channel} at ${seen.where}: ...${JSON.stringify(seen.excerpt)}...`).join('\n')}`);
  });
});
