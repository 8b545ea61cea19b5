// Shared by the client scripts: the settings the runner passes in, the task every agent gets, and the check of its result.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const gatewayUrl = required('SWITCHYARD_URL');
export const gatewayKey = required('SWITCHYARD_KEY');
/** The gateway model name, which routes to one simulated provider wire format. */
export const model = required('SWITCHYARD_MODEL');

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (this script is started by run-clients.mjs)`);
  return value;
}

/** A fresh folder for the agent to write in, and the task naming the file and the content the scripted model writes. */
export function agentTask() {
  const workDir = mkdtempSync(join(tmpdir(), 'switchyard-agent-'));
  const path = join(workDir, 'result.txt');
  const content = `written-by-agent-${process.pid}`;
  // The simulators read this marker and call the client's write or shell tool with these arguments.
  const prompt = `Create a file with the tool you have. SCRIPT-WRITE path=${path} content=${content}`;
  return { workDir, path, content, prompt };
}

export function checkWritten(task) {
  let actual;
  try {
    actual = readFileSync(task.path, 'utf8');
  } catch {
    throw new Error(`the agent did not write ${task.path}`);
  }
  if (actual.trim() !== task.content) throw new Error(`the file holds ${JSON.stringify(actual)}, not ${JSON.stringify(task.content)}`);
}

export function checkFinalText(text) {
  if (typeof text !== 'string' || !text.includes('Done: wrote')) throw new Error(`the final answer is ${JSON.stringify(text)}, not the scripted one after the tool result`);
}

/** A `write_file` tool's implementation for the SDK scripts. */
export function writeFileTool(task) {
  return async ({ path, content }) => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, content);
    return `wrote ${content.length} bytes to ${path}`;
  };
}

export const writeFileSchema = {
  type: 'object',
  properties: { path: { type: 'string', description: 'Absolute path of the file' }, content: { type: 'string', description: 'Text to write' } },
  required: ['path', 'content'],
  additionalProperties: false,
};

/** Runs a CLI with a time limit; resolves with its exit code and output. */
export function runCli(command, args, options) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      output += `\n[killed after ${options.timeoutMs} ms]`;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Runs the script's body and exits 0 on success; on failure prints one line saying what failed, then details. */
export async function main(body) {
  try {
    await body();
    console.log('PASS');
    process.exit(0);
  } catch (error) {
    const status = error?.status ?? error?.statusCode ?? error?.response?.status;
    const message = error instanceof Error ? error.message : String(error);
    console.log(`FAIL ${status ? `${status} ` : ''}${message.split('\n')[0]}`);
    const detail = error?.error ?? error?.responseBody ?? error?.data ?? error?.cause;
    if (detail) console.log(typeof detail === 'string' ? detail : JSON.stringify(detail).slice(0, 2000));
    if (error instanceof Error && error.stack) console.log(error.stack.split('\n').slice(0, 6).join('\n'));
    process.exit(1);
  }
}
