import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { freePort } from '../bench/processes.js';
import { startOpenAiSimulator, type OpenAiSimulator } from './simulators/openai-simulator.js';

/**
 * Builds the image from the Dockerfile with podman and runs the gateway from the image's own filesystem, user,
 * environment and entrypoint under chroot, with the root mounted read-only and /data the only writable place
 * (this machine's cgroups do not let podman run containers). Set SWITCHYARD_IMAGE_TEST=0 to skip it.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const image = 'localhost/switchyard:test';
const adminKey = 'sy-admin-image-test';
const skip = process.env.SWITCHYARD_IMAGE_TEST === '0' ? 'SWITCHYARD_IMAGE_TEST=0' : false;

interface ImageConfig {
  User: string;
  Env: string[];
  Entrypoint: string[];
  Cmd: string[];
  WorkingDir: string;
  Volumes: Record<string, unknown>;
  StopSignal: string;
}

function run(command: string, args: string[], timeoutMs = 60_000): string {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `status ${String(result.status)}`})\n${result.stdout}\n${result.stderr}`);
  return result.stdout.trim();
}

// Mounts the image read-only with the data and config folders over it, then runs the rest as the image's user.
const chrootScript = `set -e
R="$1"; DATA="$2"; CONFIG="$3"; USERSPEC="$4"; WORKDIR="$5"; shift 5
mount --bind "$R" "$R"
mount -o remount,bind,ro "$R"
mount --bind "$DATA" "$R/data"
mount --bind "$CONFIG" "$R/mnt"
mount --rbind /dev "$R/dev"
mount -t proc proc "$R/proc"
exec chroot --userspec="$USERSPEC" "$R" /usr/bin/env -i "$@"`;

describe('the container image', { skip, timeout: 40 * 60_000 }, () => {
  let simulator: OpenAiSimulator;
  let rootfs: string;
  let config: ImageConfig;
  let healthcheck: string[];
  let folder: string;

  before(async () => {
    const started = Date.now();
    run('bash', [join(root, 'scripts/build-image.sh'), image], 35 * 60_000);
    process.stdout.write(`image built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    rootfs = run('podman', ['image', 'mount', image]);
    const inspected = JSON.parse(run('podman', ['image', 'inspect', image])) as { Config: ImageConfig; HealthCheck?: { Test: string[] }; Healthcheck?: { Test: string[] } }[];
    config = inspected[0]!.Config;
    healthcheck = (inspected[0]!.Healthcheck ?? inspected[0]!.HealthCheck)?.Test ?? [];
    simulator = await startOpenAiSimulator();
    folder = mkdtempSync(join(tmpdir(), 'switchyard-image-'));
  });

  after(async () => {
    await simulator?.close();
    if (rootfs) spawnSync('podman', ['image', 'unmount', image]);
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  test('runs as a non-root user, keeps its data in a volume, and declares a healthcheck and SIGTERM', () => {
    assert.match(config.User, /^[1-9][0-9]*(:[0-9]+)?$/, 'a numeric non-root user, as Kubernetes runAsNonRoot needs');
    assert.ok('/data' in config.Volumes);
    assert.ok(config.Env.includes('SWITCHYARD_DATA_DIR=/data'));
    assert.equal(config.StopSignal, 'SIGTERM');
    assert.deepEqual(healthcheck, ['CMD', 'node', '/app/deploy/healthcheck.mjs']);
  });

  test('the gateway in it answers /health from a read-only root, serves a request and drains on SIGTERM', async () => {
    const data = join(folder, 'data');
    const settings = join(folder, 'config');
    mkdirSync(data);
    mkdirSync(settings);
    const [uid, gid] = config.User.split(':').map(Number) as [number, number | undefined];
    chownSync(data, uid, gid ?? uid);
    writeFileSync(join(settings, 'switchyard.yaml'), `providers:\n  sim: { type: openai, baseUrl: "${simulator.url}" }\nmodels:\n  house: { provider: sim, price: { input: 1, output: 2 } }\n`);
    const port = await freePort();
    const env = [...config.Env.filter((entry) => !entry.startsWith('HOST=') && !entry.startsWith('PORT=')), 'HOST=127.0.0.1', `PORT=${port}`, `SWITCHYARD_ADMIN_KEY=${adminKey}`];
    const command = [...config.Entrypoint, ...config.Cmd, '--config', '/mnt/switchyard.yaml'];
    const inWorkdir = ['sh', '-c', 'cd "$0" && exec "$@"', config.WorkingDir];
    const gateway: ChildProcess = spawn('unshare', ['--mount', '--', 'sh', '-c', chrootScript, 'sh', rootfs, data, settings, config.User, config.WorkingDir, ...env, ...inWorkdir, ...command], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    gateway.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    gateway.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(gateway, 'exit').then(([code]) => code as number | null);
    const url = `http://127.0.0.1:${port}`;
    try {
      const deadline = Date.now() + 30_000;
      let health: Response | undefined;
      while (Date.now() < deadline && gateway.exitCode === null) {
        health = await fetch(`${url}/health`).catch(() => undefined);
        if (health) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(health?.status, 200, output);
      assert.equal((await fetch(`${url}/ready`)).status, 200);

      const healthcheckRun = spawnSync('chroot', [`--userspec=${config.User}`, rootfs, '/usr/bin/env', '-i', ...env, ...healthcheck.slice(1)], { encoding: 'utf8', timeout: 10_000 });
      assert.equal(healthcheckRun.status, 0, `the image's HEALTHCHECK command: ${healthcheckRun.stderr}`);

      const created = await fetch(`${url}/admin/keys`, { method: 'POST', headers: { authorization: `Bearer ${adminKey}` }, body: JSON.stringify({ name: 'image' }) });
      const { key } = (await created.json()) as { key: string };
      const chat = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'house', messages: [{ role: 'user', content: 'hello from the image' }] }),
      });
      assert.equal(chat.status, 200, await chat.text());

      gateway.kill('SIGTERM');
      assert.equal(await exited, 0, output);
      assert.doesNotMatch(output, /EROFS|read-only file system/i);
      const database = new Database(join(data, 'switchyard.db'), { readonly: true });
      const rows = database.prepare("SELECT COUNT(*) AS n FROM requests WHERE endpoint = 'chat' AND status = 200").get() as { n: number };
      database.close();
      assert.equal(rows.n, 1, 'the ledger record was flushed to the data volume before exit');
    } finally {
      if (gateway.exitCode === null) gateway.kill('SIGKILL');
    }
  });
});
