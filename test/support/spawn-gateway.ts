import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export interface SpawnedGateway {
  process: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

const binary = fileURLToPath(new URL('../../../bin/switchyard.js', import.meta.url));

/** Runs `switchyard start` as a separate process, as users do, and waits for it to listen. */
export async function spawnGateway(args: string[], env: Record<string, string>, cwd: string): Promise<SpawnedGateway> {
  const child = spawn(process.execPath, [binary, 'start', '--port', '0', ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const match = /listening on (http:\/\/\S+)/.exec(output);
    if (match) return { process: child, url: match[1] as string, output: () => output, exited };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`switchyard did not start:\n${output}`);
}
