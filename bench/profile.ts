import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAutocannon } from './load.js';
import { chatBody, fastModel, openAtOnce, streamModel, type Settings } from './scenarios.js';
import { logTail } from './processes.js';
import { responsesBody } from './ingress-scenario.js';
import { repoRoot, startMock, startSwitchyard, type SwitchyardTarget } from './targets.js';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  function: string;
  location: string;
  selfMs: number;
  /** Share of all samples that were not idle. */
  percent: number;
}

export interface ProfileGroup {
  /** A project file, a package, a part of Node, or a V8 bucket such as (garbage collector). */
  group: string;
  selfMs: number;
  percent: number;
}

export interface ProfileResult {
  workload: string;
  file: string;
  /** What the load achieved while profiled. */
  load: string;
  busyMs: number;
  top: ProfileEntry[];
  groups: ProfileGroup[];
  /** The other threads (workers), profiled apart from the main thread: busy time and top entries. */
  otherThreads: Array<{ busyMs: number; top: ProfileEntry[] }>;
}

function shortLocation(url: string, line: number): string {
  if (url === '') return '';
  const root = `file://${repoRoot}`;
  const path = url.startsWith(root) ? url.slice(root.length) : url.replace(/^file:\/\/.*\/node_modules\//, 'node_modules/');
  return `${path}:${line + 1}`;
}

function groupOf(name: string, location: string): string {
  if (location === '') return name.startsWith('(') ? name : 'native (syscalls, V8 builtins)';
  if (location.startsWith('node_modules/')) return location.split('/').slice(0, location.startsWith('node_modules/@') ? 3 : 2).join('/');
  if (location.startsWith('node:')) return location.split('/').slice(0, 2).join('/').replace(/:\d+$/, '');
  return location.replace(/:\d+$/, '');
}

function topGroups(entries: Map<string, { entry: Omit<ProfileEntry, 'selfMs' | 'percent'>; micros: number }>, busyMicros: number, limit: number): ProfileGroup[] {
  const groups = new Map<string, number>();
  for (const { entry, micros } of entries.values()) {
    const group = groupOf(entry.function, entry.location);
    groups.set(group, (groups.get(group) ?? 0) + micros);
  }
  return [...groups]
    .sort((left, right) => right[1] - left[1])
    .slice(0, limit)
    .map(([group, micros]) => ({ group, selfMs: micros / 1_000, percent: busyMicros === 0 ? 0 : (100 * micros) / busyMicros }));
}

/** Self time per function (name and location) and per file or package, from the samples of a V8 .cpuprofile. */
export function topSelfTime(profile: CpuProfile, limit = 20): { busyMs: number; top: ProfileEntry[]; groups: ProfileGroup[] } {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map<string, { entry: Omit<ProfileEntry, 'selfMs' | 'percent'>; micros: number }>();
  let busyMicros = 0;
  profile.samples.forEach((id, index) => {
    const node = nodes.get(id);
    const micros = profile.timeDeltas[index + 1] ?? 0;
    if (!node) return;
    const name = node.callFrame.functionName || '(anonymous)';
    if (name === '(idle)') return;
    busyMicros += micros;
    const location = shortLocation(node.callFrame.url, node.callFrame.lineNumber);
    const key = `${name}\n${location}`;
    const slot = selfMicros.get(key) ?? { entry: { function: name, location }, micros: 0 };
    slot.micros += micros;
    selfMicros.set(key, slot);
  });
  const top = [...selfMicros.values()]
    .sort((left, right) => right.micros - left.micros)
    .slice(0, limit)
    .map(({ entry, micros }) => ({ ...entry, selfMs: micros / 1_000, percent: busyMicros === 0 ? 0 : (100 * micros) / busyMicros }));
  return { busyMs: busyMicros / 1_000, top, groups: topGroups(selfMicros, busyMicros, 15) };
}

export type ProfileWorkload = 'throughput' | 'responses' | 'open-streams';

/** Loads a fresh Switchyard: autocannon at full throughput (chat or Responses ingress), or many streams open at once. */
async function applyLoad(settings: Settings, workload: ProfileWorkload, gateway: SwitchyardTarget): Promise<string> {
  if (workload === 'throughput' || workload === 'responses') {
    const ingress = workload === 'responses' ? { url: `${gateway.baseUrl}/v1/responses`, body: responsesBody(fastModel) } : { url: gateway.url, body: chatBody(fastModel) };
    const base = { ...ingress, headers: gateway.headers, connections: settings.connections };
    await runAutocannon({ ...base, durationSeconds: settings.warmupSeconds });
    const load = await runAutocannon({ ...base, durationSeconds: settings.durationSeconds });
    return `${load.requestsPerSecond.toFixed(0)} req/s over ${settings.durationSeconds} s (non-2xx ${load.non2xx}, errors ${load.errors})`;
  }
  const { count } = settings.openStreams;
  const { summary, wallSeconds } = await openAtOnce(gateway, chatBody(streamModel, true), count);
  return `${summary.completed}/${count} streams complete in ${wallSeconds.toFixed(2)} s`;
}

/** Runs a fresh Switchyard under `node --cpu-prof`, loads it, stops it and reads the profile. */
export async function profileSwitchyard(settings: Settings, workDir: string, workload: ProfileWorkload): Promise<ProfileResult> {
  const profileDir = join(workDir, `cpu-profile-${workload}`);
  mkdirSync(profileDir, { recursive: true });
  const mock = await startMock({ name: `mock-profile-${workload}`, logDir: workDir, chunkDelayMs: workload === 'open-streams' ? settings.openStreams.chunkDelayMs : 0 });
  const model = workload === 'open-streams' ? streamModel : fastModel;
  const gateway = await startSwitchyard({ name: `switchyard-profile-${workload}`, models: [{ model, mock }], workDir, nodeFlags: ['--cpu-prof', '--cpu-prof-dir', profileDir] });
  let load: string;
  try {
    settings.log(`  profile → switchyard --cpu-prof under ${workload} load`);
    load = await applyLoad(settings, workload, gateway);
  } finally {
    await gateway.child.stop(15_000);
    await mock.child.stop();
  }
  // Node writes one profile per thread; the main thread is the busiest, the others (workers) are summed up beside it.
  const threads = readdirSync(profileDir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => ({ file: join(profileDir, name), ...topSelfTime(JSON.parse(readFileSync(join(profileDir, name), 'utf8')) as CpuProfile) }))
    .sort((left, right) => right.busyMs - left.busyMs);
  const main = threads[0];
  if (!main) throw new Error(`no .cpuprofile was written to ${profileDir}: ${logTail(gateway.child.logFile)}`);
  const others = threads.slice(1).filter((thread) => thread.busyMs > 0);
  return { workload, ...main, load, otherThreads: others.map((thread) => ({ busyMs: thread.busyMs, top: thread.top.slice(0, 8) })) };
}
