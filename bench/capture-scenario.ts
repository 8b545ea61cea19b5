import { runAutocannon } from './load.js';
import { addRun, emptyLoadRow, rowThroughput, type LoadRow } from './load-rows.js';
import { sampleProcess, watchMachine } from './processes.js';
import { chatBody, fastModel, type Settings } from './scenarios.js';
import type { SwitchyardTarget } from './targets.js';

/** The same mock and price as `fastModel`, with `capture: { sample: 1, bodies: true }`. */
export const capturedModel = 'bench-model-captured';

export type CaptureMode = 'off' | 'on';

export interface CaptureLoadRow extends LoadRow {
  mode: CaptureMode;
}

interface CaptureStats {
  sampled: number;
  written: number;
  dropped: number;
  queued: number;
  writing: number;
  stored: number;
  peakQueued: number;
  maxQueued: number;
}

interface LedgerStats {
  requests: number;
  queued: number;
}

export interface CaptureResult {
  rounds: number;
  load: CaptureLoadRow[];
  /** Ledger records added over every run, against responses served (plus those cut at the end, recorded as client-closed). */
  ledger: { recorded: number; served: number; cutAtEnd: number };
  /** Capture counters over every run (after a flush), against responses of the captured model. */
  capture: { sampled: number; written: number; dropped: number; stored: number; capturedServed: number; capturedCutAtEnd: number; peakQueued: number; maxQueued: number };
}

const cpuOf = (target: SwitchyardTarget) => sampleProcess(target.child.pid)?.cpuSeconds;

/** Everything queued is written before the counters are read: listing requests flushes the ledger and capture. */
async function settled(target: SwitchyardTarget): Promise<{ ledger: LedgerStats; capture: CaptureStats }> {
  await target.admin('/admin/requests?limit=1');
  return { ledger: await target.admin<LedgerStats>('/admin/ledger/stats'), capture: await target.admin<CaptureStats>('/admin/capture') };
}

/**
 * Capture at 100% with bodies against capture off: the same prompt and mock through two models of one gateway, one
 * captured and one not, `rounds` closed-loop runs each, interleaved. Then every request must have its ledger record
 * and every sampled request its capture (written + dropped = sampled, dropped reported).
 */
export async function captureCost(settings: Settings, target: SwitchyardTarget, rounds = 3): Promise<CaptureResult> {
  const modes: Array<[CaptureMode, string]> = [['off', fastModel], ['on', capturedModel]];
  const rows = new Map<CaptureMode, CaptureLoadRow>(modes.map(([mode]) => [mode, { mode, ...emptyLoadRow() }]));
  const runSeconds = Math.max(1, Math.round(settings.durationSeconds / rounds));
  for (const [mode, model] of modes) {
    settings.log(`  capture ${mode}: warm-up ${settings.warmupSeconds}s`);
    await runAutocannon({ url: target.url, headers: target.headers, body: chatBody(model), connections: settings.connections, durationSeconds: settings.warmupSeconds });
  }
  // Requests cut at the end of the warm-up settle as their sockets close: count from after them.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = await settled(target);
  for (let round = 0; round < rounds; round += 1) {
    for (const [mode, model] of modes) {
      const row = rows.get(mode) as CaptureLoadRow;
      settings.log(`  capture ${mode}: round ${round + 1}/${rounds}, ${runSeconds}s at ${settings.connections} connections`);
      const cpuBefore = cpuOf(target);
      const machine = watchMachine();
      const load = await runAutocannon({ url: target.url, headers: target.headers, body: chatBody(model), connections: settings.connections, durationSeconds: runSeconds });
      machine.stop();
      const cpuAfter = cpuOf(target);
      addRun(row, load, { before: cpuBefore, after: cpuAfter });
    }
  }
  // Requests cut at the end of a run settle as their sockets close; give them a moment before the final flush.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const after = await settled(target);
  const load = [...rows.values()];
  return {
    rounds,
    load,
    ledger: { recorded: after.ledger.requests - before.ledger.requests, served: load.reduce((sum, row) => sum + row.served, 0), cutAtEnd: load.reduce((sum, row) => sum + row.cutAtEnd, 0) },
    capture: {
      sampled: after.capture.sampled - before.capture.sampled,
      written: after.capture.written - before.capture.written,
      dropped: after.capture.dropped - before.capture.dropped,
      stored: after.capture.stored - before.capture.stored,
      capturedServed: rows.get('on')?.served ?? 0,
      capturedCutAtEnd: rows.get('on')?.cutAtEnd ?? 0,
      peakQueued: after.capture.peakQueued,
      maxQueued: after.capture.maxQueued,
    },
  };
}

/** Requests per second of one mode, over all its runs. */
export function captureThroughput(result: CaptureResult, mode: CaptureMode): number {
  return rowThroughput(result.load.find((candidate) => candidate.mode === mode));
}
