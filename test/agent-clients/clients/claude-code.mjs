// Claude Code in print mode against the gateway's Anthropic Messages endpoint, writing a file with its Write tool.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { agentTask, checkWritten, checkFinalText, gatewayKey, gatewayUrl, main, model, runCli } from './lib.mjs';

const claude = fileURLToPath(new URL('../node_modules/.bin/claude', import.meta.url));

await main(async () => {
  const task = agentTask();
  const home = mkdtempSync(join(tmpdir(), 'switchyard-claude-home-'));
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    ANTHROPIC_BASE_URL: gatewayUrl,
    ANTHROPIC_API_KEY: gatewayKey,
    // Every model Claude Code picks (main, background "haiku" calls) is the gateway model under test.
    ANTHROPIC_MODEL: model,
    ANTHROPIC_SMALL_FAST_MODEL: model,
    ANTHROPIC_DEFAULT_HAIKU_MODEL: model,
    ANTHROPIC_DEFAULT_SONNET_MODEL: model,
    ANTHROPIC_DEFAULT_OPUS_MODEL: model,
    // No traffic to anything but the gateway: telemetry, error reports, update checks, feedback surveys.
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_BUG_COMMAND: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY: '1',
    CLAUDE_CODE_DISABLE_TERMINAL_TITLE: '1',
  };
  const args = ['-p', task.prompt, '--model', model, '--allowedTools', 'Write,Bash', '--permission-mode', 'acceptEdits', '--output-format', 'json', '--add-dir', task.workDir];
  const { code, output } = await runCli(claude, args, { cwd: task.workDir, env, timeoutMs: 80_000 });
  let result;
  try {
    result = JSON.parse(output.trim().split('\n').at(-1));
  } catch {
    throw new Error(`claude exited ${code}: ${output.trim().split('\n').slice(-3).join(' | ')}`);
  }
  if (result.is_error || code !== 0) throw new Error(`claude exited ${code}: ${String(result.result ?? result.subtype).split('\n')[0]}`);
  checkWritten(task);
  checkFinalText(result.result);
});
