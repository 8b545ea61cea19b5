#!/usr/bin/env node
// Runs every compiled test file (`*.test.js` under dist/), and the scripts' own tests (`scripts/*.test.mjs`), with
// Node's built-in test runner.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function collect(directory, found) {
  for (const name of readdirSync(directory)) {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) collect(path, found);
    else if (name.endsWith('.test.js') || name.endsWith('.test.mjs')) found.push(path);
  }
  return found;
}

const filter = process.argv.slice(2);
const roots = ['dist/src', 'dist/test', 'scripts'];
let files = roots.flatMap((root) => { try { return collect(root, []); } catch { return []; } }).sort();
if (filter.length > 0) files = files.filter((file) => filter.some((part) => file.includes(part)));
if (files.length === 0) {
  console.error('No test files found. Did the build run?');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
