#!/usr/bin/env node
// Runs `npm audit --omit=dev` and fails on any advisory against a production dependency that the reviewed allowlist
// (.ci/audit-allowlist.json) does not accept. When the advisory service cannot be asked (no network, or a registry
// mirror without the audit endpoint), it says so loudly: that is a failure when SWITCHYARD_AUDIT=required, and
// otherwise a warning that the dependencies were not checked (never a silent pass).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const allowlistPath = join(root, '.ci', 'audit-allowlist.json');

/** The advisory id an entry of `via` names: the GHSA id from its URL, else npm's numeric source id. */
function advisoryId(via) {
  const match = /GHSA-[\w-]+/i.exec(via.url ?? '');
  return match ? match[0] : String(via.source);
}

/** Every advisory in an `npm audit --json` report (version 2), once per advisory and package. */
export function advisoriesOf(report) {
  const found = new Map();
  for (const vulnerability of Object.values(report.vulnerabilities ?? {})) {
    for (const via of vulnerability.via ?? []) {
      // A string names another vulnerable package, reported under its own name with its own advisories.
      if (typeof via !== 'object' || via === null) continue;
      const id = advisoryId(via);
      found.set(`${id} ${via.name}`, { id, package: via.name, severity: via.severity, title: via.title, url: via.url, range: via.range });
    }
  }
  return [...found.values()];
}

/** Problems with the allowlist itself: every entry names an advisory and a package, says why, and expires. */
export function allowlistProblems(allowlist, today) {
  const problems = [];
  if (!Array.isArray(allowlist.advisories)) return ['the allowlist has no "advisories" array'];
  for (const [index, entry] of allowlist.advisories.entries()) {
    const where = `advisories[${index}]${entry.id ? ` (${entry.id})` : ''}`;
    if (typeof entry.id !== 'string' || entry.id === '') problems.push(`${where}: no "id" (the GHSA id of the advisory)`);
    if (typeof entry.package !== 'string' || entry.package === '') problems.push(`${where}: no "package"`);
    if (typeof entry.reason !== 'string' || entry.reason.trim().length < 20) problems.push(`${where}: "reason" must say why the advisory does not apply or is accepted`);
    if (typeof entry.reviewedBy !== 'string' || entry.reviewedBy === '') problems.push(`${where}: no "reviewedBy"`);
    if (typeof entry.expires !== 'string' || Number.isNaN(Date.parse(entry.expires))) problems.push(`${where}: "expires" must be a date (YYYY-MM-DD) when the entry is reviewed again`);
    else if (entry.expires < today) problems.push(`${where}: expired on ${entry.expires}; review it again`);
  }
  return problems;
}

/**
 * The verdict on one audit report: advisories the allowlist does not accept, entries that no longer match anything,
 * or why the audit could not be judged.
 */
export function judgeAudit(report, allowlist, today) {
  const problems = allowlistProblems(allowlist, today);
  if (report === undefined || typeof report !== 'object' || report === null) return { status: 'unavailable', reason: 'npm audit printed no JSON report', problems };
  if (report.vulnerabilities === undefined) {
    const said = report.error?.summary || report.message || report.error?.code || 'no vulnerabilities section in the report';
    return { status: 'unavailable', reason: `the advisory service did not answer: ${said}`, problems };
  }
  const accepted = new Set((allowlist.advisories ?? []).map((entry) => `${entry.id} ${entry.package}`));
  const advisories = advisoriesOf(report);
  const seen = new Set(advisories.map((advisory) => `${advisory.id} ${advisory.package}`));
  const unaccepted = advisories.filter((advisory) => !accepted.has(`${advisory.id} ${advisory.package}`));
  const stale = (allowlist.advisories ?? []).filter((entry) => !seen.has(`${entry.id} ${entry.package}`));
  return { status: unaccepted.length === 0 && problems.length === 0 ? 'pass' : 'fail', advisories, unaccepted, stale, problems };
}

function runAudit() {
  const result = spawnSync('npm', ['audit', '--omit=dev', '--json'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  try {
    return JSON.parse(result.stdout);
  } catch {
    return undefined;
  }
}

function main() {
  const allowlist = JSON.parse(readFileSync(allowlistPath, 'utf8'));
  const verdict = judgeAudit(runAudit(), allowlist, new Date().toISOString().slice(0, 10));
  for (const problem of verdict.problems) console.error(`audit allowlist: ${problem}`);
  if (verdict.status === 'unavailable') {
    const required = process.env.SWITCHYARD_AUDIT === 'required';
    console.error(`npm audit --omit=dev: NOT CHECKED: ${verdict.reason}.`);
    console.error(required ? 'SWITCHYARD_AUDIT=required, so this fails the run.' : 'The production dependencies were not checked against advisories. Set SWITCHYARD_AUDIT=required to make this fail.');
    process.exit(required || verdict.problems.length > 0 ? 1 : 0);
  }
  for (const entry of verdict.stale) console.error(`audit allowlist: ${entry.id} (${entry.package}) matches no current advisory; remove it`);
  for (const advisory of verdict.unaccepted) console.error(`advisory not in the allowlist: ${advisory.id} ${advisory.package} ${advisory.range ?? ''} (${advisory.severity}): ${advisory.title} ${advisory.url ?? ''}`);
  console.error(`npm audit --omit=dev: ${verdict.advisories.length} advisories, ${verdict.unaccepted.length} not accepted by ${allowlistPath.slice(root.length + 1)}.`);
  process.exit(verdict.status === 'pass' ? 0 : 1);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
