import assert from 'node:assert/strict';
import { errorTable, GatewayError, type ErrorCode } from '../../../src/core/errors.js';
import type { ConformanceRow } from '../rows.js';
import { errorClasses, type ErrorClass } from '../wire-kit.js';
import type { ConformanceCase } from './conformance-case.js';

/** The one code each error class must become, whichever provider answered; overload may be either of two. */
const expectedCodes: Record<ErrorClass, readonly ErrorCode[]> = {
  'context-length': ['context_length_exceeded'],
  authentication: ['upstream_authentication_failed'],
  permission: ['permission_denied'],
  'not-found': ['model_not_found'],
  'rate-limited': ['rate_limited'],
  'server-error': ['upstream_error'],
  overloaded: ['upstream_unavailable', 'upstream_overloaded'],
};

function classify(row: ConformanceRow, errorClass: ErrorClass): GatewayError {
  const error = row.adapter.classifyError(row.kit.errors[errorClass], row.kit.endpoint);
  assert.ok(error instanceof GatewayError, 'classifyError returns a GatewayError');
  return error;
}

function casesFor(errorClass: ErrorClass): ConformanceCase[] {
  const codes = expectedCodes[errorClass];
  const cases: ConformanceCase[] = [
    {
      capability: 'errors',
      id: `errors/${errorClass}/code`,
      title: `classifies a ${errorClass} answer as ${codes.join(' or ')}, without the credential in its message`,
      run(row) {
        const error = classify(row, errorClass);
        assert.ok(codes.includes(error.code), `expected ${codes.join(' or ')}, got ${error.code}`);
        assert.equal(error.upstreamStatus, row.kit.errors[errorClass].status, 'the upstream status is kept for the ledger');
        assert.ok(!error.message.includes(row.kit.endpoint.apiKey ?? '\u0000'), 'the message does not carry the credential');
      },
    },
    {
      capability: 'errors',
      id: `errors/${errorClass}/retryability`,
      title: `marks a ${errorClass} answer ${errorTable[codes[0] as ErrorCode].retryable ? 'retryable' : 'not retryable'}`,
      run(row) {
        const error = classify(row, errorClass);
        assert.equal(error.retryable, errorTable[codes[0] as ErrorCode].retryable);
      },
    },
  ];
  if (errorClass === 'rate-limited') {
    cases.push({
      capability: 'errors',
      id: 'errors/rate-limited/retry-after',
      title: 'keeps the provider retry hint of a rate-limited answer',
      run(row) {
        if (row.kit.expect.retryAfterMs === undefined) throw new Error('the kit gives no retry hint, and skips.ts gives no reason');
        assert.equal(classify(row, errorClass).retryAfterMs, row.kit.expect.retryAfterMs);
      },
    });
  }
  return cases;
}

export const errorCases: ConformanceCase[] = errorClasses.flatMap(casesFor);
