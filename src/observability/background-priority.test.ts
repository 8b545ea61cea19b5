import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';

/** The nice value of the calling thread, from its /proc stat line (field 19). */
const niceOfThread = `(await import('node:fs')).readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ')[16]`;

test('a thread that lowers its priority gets nice 19, and the rest of the process keeps its own', { skip: process.platform !== 'linux' }, async () => {
  const module = new URL('./background-priority.js', import.meta.url).href;
  const code = `const { parentPort } = await import('node:worker_threads'); const { lowerThreadPriority } = await import(${JSON.stringify(module)}); const before = ${niceOfThread}; const lowered = lowerThreadPriority(); parentPort.postMessage({ before, lowered, after: ${niceOfThread} });`;
  const worker = new Worker(`(async () => { ${code} })()`, { eval: true });
  const result = await new Promise<{ before: string; lowered: boolean; after: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  const mainNice = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]?.split(' ')[16];
  assert.equal(result.lowered, true);
  assert.equal(result.after, '19');
  assert.notEqual(result.before, '19');
  assert.equal(mainNice, result.before);
});
