// Codex CLI (`codex exec`) against the gateway's Responses endpoint, writing a file through its shell tool.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { agentTask, checkWritten, gatewayKey, gatewayUrl, main, model, runCli } from './lib.mjs';

const codex = fileURLToPath(new URL('../node_modules/.bin/codex', import.meta.url));

await main(async () => {
  const task = agentTask();
  const codexHome = mkdtempSync(join(tmpdir(), 'switchyard-codex-home-'));
  writeFileSync(join(codexHome, 'config.toml'), [
    `model = "${model}"`,
    'model_provider = "switchyard"',
    // No update checks, no analytics, no feedback: the gateway is the only host Codex talks to.
    'check_for_update_on_startup = false',
    '[analytics]',
    'enabled = false',
    '[model_providers.switchyard]',
    'name = "Switchyard"',
    `base_url = "${gatewayUrl}/v1"`,
    'env_key = "SWITCHYARD_CODEX_KEY"',
    'wire_api = "responses"',
    'request_max_retries = 0',
    'stream_max_retries = 0',
    '',
  ].join('\n'));
  const env = { PATH: process.env.PATH, HOME: codexHome, CODEX_HOME: codexHome, SWITCHYARD_CODEX_KEY: gatewayKey, RUST_LOG: 'error' };
  // As root in a container there is no landlock/seccomp sandbox to use, so the sandbox is off; the task folder is a temp dir.
  const args = ['exec', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', '--color', 'never', '-C', task.workDir, task.prompt];
  const { code, output } = await runCli(codex, args, { cwd: task.workDir, env, timeoutMs: 80_000 });
  if (code !== 0) {
    const lines = output.trim().split('\n').filter((line) => /error|fail|status|unexpected/i.test(line));
    throw new Error(`codex exited ${code}: ${(lines.at(-1) ?? output.trim().split('\n').at(-1) ?? '').slice(0, 400)}`);
  }
  checkWritten(task);
  if (!output.includes('Done: wrote')) throw new Error(`codex did not print the scripted final answer: ${output.trim().split('\n').at(-1)}`);
});
