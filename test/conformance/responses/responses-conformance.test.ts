import { describe, test, type TestContext } from 'node:test';
import type { ConformanceRow } from '../rows.js';
import { answerCases, errorCases } from './answer-cases.js';
import { reasoningCases } from './reasoning-cases.js';
import { responsesRows } from './responses-rows.js';
import type { ResponsesCase } from './responses-case.js';
import { responsesKnownIssueFor, responsesSkipFor } from './responses-skips.js';
import { streamCases } from './stream-cases.js';

/**
 * The Responses-ingress counterpart of the chat conformance suite: each provider's answers, streams and errors, in
 * its own wire format, go through its adapter and then through the Responses ingress encoders, and what a client of
 * POST /v1/responses receives is checked against OpenAI's documented objects and events. Offline and pure translation.
 */

const cases: ResponsesCase[] = [...answerCases, ...streamCases, ...reasoningCases, ...errorCases];

async function runResponsesCase(t: TestContext, row: ConformanceRow, responsesCase: ResponsesCase): Promise<void> {
  const notApplicable = responsesCase.notApplicable?.(row);
  if (notApplicable !== undefined) {
    t.skip(`n/a: ${notApplicable}`);
    return;
  }
  const skip = responsesSkipFor(row.name, responsesCase.id, responsesCase.sameAs);
  if (skip) {
    t.skip(skip.reason);
    return;
  }
  const known = responsesKnownIssueFor(row.name, responsesCase.id);
  try {
    await responsesCase.run(row);
  } catch (error) {
    if (known) t.todo(`known encoder bug: ${known.reason}`);
    throw error;
  }
  if (known) t.diagnostic(`passes now: remove it from responses-skips.ts (${known.reason})`);
}

for (const row of responsesRows()) {
  describe(`Responses ingress over ${row.name} (${row.adapter.type} adapter)`, () => {
    for (const responsesCase of cases) {
      test(`${responsesCase.id}: ${responsesCase.title}`, (t) => runResponsesCase(t, row, responsesCase));
    }
  });
}
