import { join } from 'node:path';
import { repoRoot } from '../targets.js';

/**
 * What a gateway started by `startSwitchyard` needs to run the soak probe (soak-probe.ts): the preload flag, and the
 * file and interval it reads from its environment. The caller's own environment is left as it is.
 */
export function probeLaunch(probeFile: string, intervalMs: number): { nodeFlags: string[]; env: Record<string, string> } {
  return {
    nodeFlags: ['--import', join(repoRoot, 'dist', 'bench', 'soak', 'soak-probe.js')],
    env: { SOAK_PROBE_FILE: probeFile, SOAK_PROBE_INTERVAL_MS: String(intervalMs) },
  };
}
