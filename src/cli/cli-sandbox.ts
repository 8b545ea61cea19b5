import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** From dist/src/cli/ back to the checkout's bin/ folder. */
const binary = fileURLToPath(new URL('../../../bin/switchyard.js', import.meta.url));

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A scratch folder with its own data folder, for tests that run the switchyard command as a user would. */
export interface CliSandbox {
  folder: string;
  run(...args: string[]): CliRun;
  remove(): void;
}

export function cliSandbox(prefix: string): CliSandbox {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  return {
    folder,
    run(...args) {
      const result = spawnSync(process.execPath, [binary, ...args], {
        cwd: folder,
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', SWITCHYARD_DATA_DIR: join(folder, 'data') },
        timeout: 30_000,
      });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    },
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}
