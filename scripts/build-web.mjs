#!/usr/bin/env node
// Builds the console (web/) into web/dist, which the gateway serves at /. Installs web/'s own packages the first
// time (npm ci from its lock file), and skips the build when web/dist is newer than every source file.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('../web/', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const force = process.argv.includes('--force');

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), 0);
}

function run(args) {
  const result = spawnSync(npm, args, { cwd: web, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!existsSync(join(web, 'node_modules', '.bin', 'vite'))) {
  console.error('build-web: installing the console\'s packages (npm ci in web/)');
  run(['ci', '--no-audit', '--no-fund']);
}

const built = join(web, 'dist', 'index.html');
const sources = ['src', 'public', 'index.html', 'package.json', 'vite.config.ts'].map((name) => join(web, name)).filter(existsSync);
if (!force && existsSync(built) && statSync(built).mtimeMs > Math.max(...sources.map(newest))) {
  console.error('build-web: web/dist is up to date');
} else {
  run(['run', 'build', '--silent']);
}
