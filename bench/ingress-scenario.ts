import { runAutocannon, type LoadResult } from './load.js';
import { sampleProcess, watchMachine } from './processes.js';
import { measureStreams, type StreamSummary } from './stream-client.js';
import { chatCompletionChunks } from './mock-upstream.js';
import { chatBody, fastModel, streamModel, type Settings } from './scenarios.js';
import type { SwitchyardTarget } from './targets.js';

/**
 * The ingresses compared: the same prompt and model through Chat Completions and through the Responses API. The
 * `-translated` pair sends both to a provider whose bodies are always built from the canonical request (an
 * OpenAI-compatible server, not OpenAI itself), so that neither side passes its body through: only the ingress differs.
 */
export type IngressName = 'chat' | 'responses' | 'chat-translated' | 'responses-translated' | 'responses-stored' | 'responses-native';

/** A model whose provider is called through the Responses API, so the Responses ingress passes bodies through. */
export const responsesApiModel = 'bench-model-responses-api';

/** A model on an OpenAI-compatible provider (type vllm): chat bodies are translated there, not passed through. */
export const translatedModel = 'bench-model-translated';

const ingressPath: Record<IngressName, string> = {
  chat: '/v1/chat/completions', responses: '/v1/responses', 'chat-translated': '/v1/chat/completions', 'responses-translated': '/v1/responses',
  'responses-stored': '/v1/responses', 'responses-native': '/v1/responses',
};

/** The Responses twin of `chatBody`: same system text, prompt, limit and temperature. */
export function responsesBody(model: string, options: { stream?: boolean; store?: boolean } = {}): string {
  return JSON.stringify({
    model,
    instructions: 'You are a terse assistant.',
    input: 'Say hello to the benchmark in five words or fewer, please.',
    max_output_tokens: 16,
    temperature: 0,
    store: options.store ?? false,
    ...(options.stream ? { stream: true } : {}),
  });
}

function bodyFor(ingress: IngressName, model: string, stream: boolean): string {
  if (ingress === 'chat') return chatBody(model, stream);
  if (ingress === 'chat-translated') return chatBody(translatedModel, stream);
  if (ingress === 'responses-translated') return responsesBody(translatedModel, { stream });
  if (ingress === 'responses-native') return responsesBody(responsesApiModel, { stream });
  return responsesBody(model, { stream, store: ingress === 'responses-stored' });
}

export interface IngressLoadRow {
  ingress: IngressName;
  /** The closed-loop runs, alternated with the other ingresses so that drift in the machine falls on all of them. */
  runs: LoadResult[];
  /** Gateway CPU seconds over all runs of this ingress. */
  cpuSeconds: number | undefined;
  /** The kernel part of cpuSeconds. */
  systemCpuSeconds: number | undefined;
  requests: number;
  stealShare: number | undefined;
}

export interface IngressStreamRow {
  ingress: IngressName;
  summary: StreamSummary;
}

export interface IngressResult {
  load: IngressLoadRow[];
  streams: IngressStreamRow[];
  rounds: number;
}

const cpuOf = (target: SwitchyardTarget) => sampleProcess(target.child.pid);
const urlOf = (target: SwitchyardTarget, ingress: IngressName) => `${new URL(target.url).origin}${ingressPath[ingress]}`;

/**
 * Scenario 6: what the Responses ingress costs against the chat ingress. Each ingress gets `rounds` closed-loop runs,
 * interleaved (chat, responses, stored, native, then the reverse order, ...), and the gateway's CPU time per answered request is
 * compared. Stored responses write each answer to the store as well; they are reported, not judged, since chat has
 * no such work. Then streams through both ingresses from a mock that paces its 50 chunks 1 ms apart: a relayed
 * stream shows its first chunk long before its last.
 */
export async function ingressCost(settings: Settings, target: SwitchyardTarget, rounds = 3): Promise<IngressResult> {
  const ingresses: IngressName[] = ['chat', 'responses', 'chat-translated', 'responses-translated', 'responses-stored', 'responses-native'];
  const rows = new Map<IngressName, IngressLoadRow>(ingresses.map((ingress) => [ingress, { ingress, runs: [], cpuSeconds: 0, systemCpuSeconds: 0, requests: 0, stealShare: 0 }]));
  const runSeconds = Math.max(1, Math.round(settings.durationSeconds / rounds));
  for (const ingress of ingresses) {
    settings.log(`  ingress → ${ingress}: warm-up ${settings.warmupSeconds}s`);
    await runAutocannon({ url: urlOf(target, ingress), headers: target.headers, body: bodyFor(ingress, fastModel, false), connections: settings.connections, durationSeconds: settings.warmupSeconds });
  }
  for (let round = 0; round < rounds; round += 1) {
    // Odd rounds run the ingresses in reverse, so that drift within a round (and whatever one run leaves to the next)
    // falls on every ingress alike.
    for (const ingress of round % 2 === 0 ? ingresses : [...ingresses].reverse()) {
      const row = rows.get(ingress) as IngressLoadRow;
      settings.log(`  ingress → ${ingress}: round ${round + 1}/${rounds}, ${runSeconds}s at ${settings.connections} connections`);
      const before = cpuOf(target);
      const machine = watchMachine();
      const load = await runAutocannon({ url: urlOf(target, ingress), headers: target.headers, body: bodyFor(ingress, fastModel, false), connections: settings.connections, durationSeconds: runSeconds });
      const use = machine.stop();
      const after = cpuOf(target);
      row.runs.push(load);
      row.requests += load.ok;
      const spent = (total: number | undefined, field: 'cpuSeconds' | 'systemCpuSeconds') => (before === undefined || after === undefined || total === undefined ? undefined : total + (after[field] - before[field]));
      row.cpuSeconds = spent(row.cpuSeconds, 'cpuSeconds');
      row.systemCpuSeconds = spent(row.systemCpuSeconds, 'systemCpuSeconds');
      row.stealShare = use && row.stealShare !== undefined ? Math.max(row.stealShare, use.stealShare) : undefined;
    }
  }
  for (const row of rows.values()) {
    const refused = row.runs.reduce((sum, run) => sum + run.non2xx + run.errors, 0);
    if (row.requests === 0 || refused > 0) throw new Error(`the ${row.ingress} ingress answered ${row.requests} requests and refused or failed ${refused}`);
  }
  const streams: IngressStreamRow[] = [];
  for (const ingress of ['chat', 'responses'] as const) {
    settings.log(`  ingress streams → ${ingress}: ${settings.streams.sequential} sequential`);
    const streamTarget = { url: urlOf(target, ingress), headers: target.headers };
    const measured = await measureStreams(streamTarget, bodyFor(ingress, streamModel, true), { sequential: settings.streams.sequential, concurrency: 1, rounds: 0, expectedChunks: chatCompletionChunks });
    streams.push({ ingress, summary: measured.sequential });
  }
  return { load: [...rows.values()], streams, rounds };
}
