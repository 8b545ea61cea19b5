import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import { knownIssueFor } from './known-issues.js';
import { skipFor } from './skips.js';

export const capabilities = ['chat', 'stream', 'tools', 'stream-tools', 'json', 'vision', 'usage', 'errors', 'embeddings', 'images'] as const;
export type Capability = (typeof capabilities)[number];

export type CaseStatus = 'pass' | 'fail' | 'skip' | 'known-failure' | 'n/a';

export interface CaseResult {
  row: string;
  capability: Capability;
  caseId: string;
  status: CaseStatus;
  reason?: string;
}

/** Written at the end of the run for scripts/generate-provider-matrix.mjs. */
export const resultsFile = fileURLToPath(new URL('../../conformance-results.json', import.meta.url));

const results: CaseResult[] = [];

export interface CaseKey {
  row: string;
  capability: Capability;
  caseId: string;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error);
}

/**
 * Runs one case and records its outcome: a listed skip is reported with its reason and never run, a case that
 * does not apply is `n/a`, a known adapter bug is reported as TODO with its failure, anything else must pass.
 */
export async function runCase(t: TestContext, key: CaseKey, notApplicable: string | undefined, body: () => void | Promise<void>): Promise<void> {
  if (notApplicable !== undefined) {
    results.push({ ...key, status: 'n/a', reason: notApplicable });
    t.skip(`n/a: ${notApplicable}`);
    return;
  }
  const skip = skipFor(key.row, key.caseId);
  if (skip) {
    results.push({ ...key, status: 'skip', reason: skip.reason });
    t.skip(skip.reason);
    return;
  }
  const known = knownIssueFor(key.row, key.caseId);
  try {
    await body();
  } catch (error) {
    if (known) {
      results.push({ ...key, status: 'known-failure', reason: known.reason });
      t.todo(`known adapter bug: ${known.reason}`);
    } else {
      results.push({ ...key, status: 'fail', reason: messageOf(error) });
    }
    throw error;
  }
  results.push({ ...key, status: 'pass' });
  if (known) t.diagnostic(`passes now: remove it from test/conformance/known-issues.ts (${known.reason})`);
}

export function writeResults(rows: readonly string[]): void {
  const document = {
    generatedBy: 'test/conformance/conformance.test.ts',
    generatedAt: new Date().toISOString(),
    rows,
    capabilities,
    results,
  };
  mkdirSync(dirname(resultsFile), { recursive: true });
  writeFileSync(resultsFile, `${JSON.stringify(document, null, 2)}\n`);
}
