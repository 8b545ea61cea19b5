import { after, describe, test } from 'node:test';
import { errorCases } from './cases/error-cases.js';
import { requestCases } from './cases/request-cases.js';
import { responseCases } from './cases/response-cases.js';
import { streamCases } from './cases/stream-cases.js';
import type { ConformanceCase } from './cases/conformance-case.js';
import { capabilities, runCase, writeResults } from './results.js';
import { conformanceRows } from './rows.js';

/**
 * The same conversation, answers, streams and errors, each in one provider's own wire format, through every
 * adapter: the canonical result must be the same whichever provider served it. Offline and pure translation.
 * The results feed docs/providers.md (scripts/generate-provider-matrix.mjs).
 */

const cases: ConformanceCase[] = [...requestCases, ...responseCases, ...streamCases, ...errorCases].sort(
  (left, right) => capabilities.indexOf(left.capability) - capabilities.indexOf(right.capability),
);
const rows = conformanceRows();

for (const row of rows) {
  describe(`${row.name} (${row.adapter.type} adapter)`, () => {
    for (const conformanceCase of cases) {
      test(`${conformanceCase.id}: ${conformanceCase.title}`, (t) =>
        runCase(t, { row: row.name, capability: conformanceCase.capability, caseId: conformanceCase.id }, conformanceCase.notApplicable?.(row), () => conformanceCase.run(row)));
    }
  });
}

after(() => writeResults(rows.map((row) => row.name)));
