#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error('switchyard: the compiled program is missing. Run `npm install` (or `npm run build`) in the switchyard folder first.');
  process.exit(1);
}
await import(entry.href);
