import assert from 'node:assert/strict';
import { test } from 'node:test';
import { advisoriesOf, judgeAudit } from './audit-check.mjs';

// The shape of `npm audit --json` (report version 2): a package's `via` lists advisories, or names of packages.
const report = {
  auditReportVersion: 2,
  vulnerabilities: {
    'left-pad': { name: 'left-pad', severity: 'high', via: [{ source: 1001, name: 'left-pad', title: 'Prototype pollution', url: 'https://github.com/advisories/GHSA-aaaa-bbbb-cccc', severity: 'high', range: '<1.3.1' }] },
    wrapper: { name: 'wrapper', severity: 'high', via: ['left-pad'] },
    'ms-lite': { name: 'ms-lite', severity: 'moderate', via: [{ source: 1002, name: 'ms-lite', title: 'ReDoS', url: 'https://github.com/advisories/GHSA-dddd-eeee-ffff', severity: 'moderate', range: '<2.0.0' }] },
  },
  metadata: {},
};
const entry = (id, pkg, extra = {}) => ({ id, package: pkg, reason: 'Only reachable through a code path Switchyard never calls (reviewed).', reviewedBy: 'maintainers', expires: '2027-06-01', ...extra });
const today = '2026-12-02';

test('advisories are read once each from the packages that carry them, not from the packages that name them', () => {
  assert.deepEqual(advisoriesOf(report).map((advisory) => advisory.id).sort(), ['GHSA-aaaa-bbbb-cccc', 'GHSA-dddd-eeee-ffff']);
});

test('an advisory missing from the allowlist fails the check and is named', () => {
  const verdict = judgeAudit(report, { advisories: [entry('GHSA-aaaa-bbbb-cccc', 'left-pad')] }, today);
  assert.equal(verdict.status, 'fail');
  assert.deepEqual(verdict.unaccepted.map((advisory) => advisory.id), ['GHSA-dddd-eeee-ffff']);
});

test('every advisory accepted passes; an entry matching nothing is reported as stale', () => {
  const verdict = judgeAudit(report, { advisories: [entry('GHSA-aaaa-bbbb-cccc', 'left-pad'), entry('GHSA-dddd-eeee-ffff', 'ms-lite'), entry('GHSA-gone-gone-gone', 'old')] }, today);
  assert.equal(verdict.status, 'pass');
  assert.deepEqual(verdict.stale.map((stale) => stale.id), ['GHSA-gone-gone-gone']);
});

test('an entry without a reason, or past its expiry, fails even when it matches', () => {
  const verdict = judgeAudit(report, { advisories: [entry('GHSA-aaaa-bbbb-cccc', 'left-pad', { reason: '' }), entry('GHSA-dddd-eeee-ffff', 'ms-lite', { expires: '2026-01-01' })] }, today);
  assert.equal(verdict.status, 'fail');
  assert.equal(verdict.unaccepted.length, 0);
  assert.equal(verdict.problems.length, 2);
});

test('a registry that does not answer the audit is reported as unavailable, not as a pass', () => {
  const refused = { message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk', statusCode: 405, error: { summary: '', detail: '' } };
  const verdict = judgeAudit(refused, { advisories: [] }, today);
  assert.equal(verdict.status, 'unavailable');
  assert.match(verdict.reason, /405 Method Not Allowed/);
  assert.equal(judgeAudit(undefined, { advisories: [] }, today).status, 'unavailable');
});
