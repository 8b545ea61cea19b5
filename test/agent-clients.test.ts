import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** SWITCHYARD_AGENT_CLIENTS=0 skips the agent clients (installing them needs the npm registry). */
const enabled = process.env.SWITCHYARD_AGENT_CLIENTS !== '0';

/**
 * Rows that fail for a gap the gateway has not closed yet, with the reason. Each must still fail with that reason, so
 * the list cannot hide a new failure and is emptied as soon as the gap closes.
 */
const knownGaps: Array<{ client: string; detail: string; reason: string }> = [];

interface Row {
  client: string;
  provider: string;
  pass: boolean;
  detail: string;
}

test(
  'real agent clients (Claude Code, Codex CLI, Agents SDK, AI SDK, LangChain, openai responses) finish their task through the gateway to every provider format',
  { skip: enabled ? false : 'SWITCHYARD_AGENT_CLIENTS=0', timeout: 1_800_000 },
  () => {
    const ensured = spawnSync('sh', ['scripts/ensure-agent-clients.sh'], { cwd: root, stdio: 'inherit', timeout: 600_000 });
    assert.equal(ensured.status, 0, 'installing test/agent-clients failed');
    const run = spawnSync(process.execPath, ['test/agent-clients/run-clients.mjs'], { cwd: root, encoding: 'utf8', timeout: 1_700_000 });
    const line = run.stdout.split('\n').find((text) => text.startsWith('RESULT '));
    assert.ok(line, `the runner printed no result:\n${run.stdout}\n${run.stderr}`);
    const rows = JSON.parse(line.slice('RESULT '.length)) as Row[];
    assert.ok(rows.length > 0);
    const gapOf = (row: Row) => knownGaps.find((gap) => gap.client === row.client);
    const failed = rows.filter((row) => !row.pass && !gapOf(row)).map((row) => `${row.client} x ${row.provider}: ${row.detail}`);
    assert.deepEqual(failed, []);
    const closed = rows.filter((row) => gapOf(row) && (row.pass || !row.detail.includes(gapOf(row)?.detail ?? ''))).map((row) => `${row.client} x ${row.provider}`);
    assert.deepEqual(closed, [], 'these rows no longer fail for their listed gap: update knownGaps');
  },
);
