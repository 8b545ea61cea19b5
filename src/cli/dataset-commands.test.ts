import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { cliSandbox } from './cli-sandbox.js';

const line = (index: number) => JSON.stringify({ messages: [{ role: 'user', content: `Question ${index}?` }, { role: 'assistant', content: `Answer ${index}.` }] });
const toolLine = JSON.stringify({
  messages: [{ role: 'user', content: 'Order 7?' }, { role: 'assistant', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{"id":"7"}' } }] }],
  tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { id: { type: 'string' } } } } }],
});

describe('switchyard datasets commands', () => {
  const sandbox = cliSandbox('switchyard-datasets-cli-');
  const folder = sandbox.folder;
  const run = sandbox.run;

  after(() => sandbox.remove());

  test('a JSONL file with a bad line is refused with its line number, and nothing is imported', () => {
    writeFileSync(join(folder, 'bad.jsonl'), `${line(1)}\n{"messages": [{"role": "user", "content": "no answer"}]}\n`);
    const refused = run('datasets', 'import', 'support', 'bad.jsonl');
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /Nothing imported\. line 2 \(messages\[0\]\.role\): the last message must be the assistant's reference answer/);
    assert.deepEqual(JSON.parse(run('datasets', 'list', '--json').stdout), []);
  });

  test('import, list, export to stdout and to a file with the skipped items reported, then delete', () => {
    writeFileSync(join(folder, 'good.jsonl'), `${line(1)}\n${toolLine}\n${line(2)}\n`);
    const imported = run('datasets', 'import', 'support', 'good.jsonl');
    assert.equal(imported.status, 0, imported.stderr);
    assert.match(imported.stdout, /Imported support version 1 \(3 items, from import\) from good\.jsonl/);
    assert.match(run('datasets', 'list').stdout, /support\s+1\s+3\s+import/);
    const openai = run('datasets', 'export', 'support', '--format', 'openai');
    assert.equal(openai.status, 0, openai.stderr);
    assert.deepEqual(openai.stdout.trimEnd().split('\n').map((text) => JSON.parse(text) as unknown), [JSON.parse(line(1)), JSON.parse(toolLine), JSON.parse(line(2))]);
    assert.match(openai.stderr, /Exported 3 items, skipped 0\./);
    const bedrock = run('datasets', 'export', 'support', '--format', 'bedrock', '--version', '1', '--out', 'train.jsonl');
    assert.equal(bedrock.status, 0, bedrock.stderr);
    assert.match(bedrock.stderr, /Exported 2 items, skipped 1\.\n  skipped 1: tool use/);
    assert.deepEqual(readFileSync(join(folder, 'train.jsonl'), 'utf8').trimEnd().split('\n').map((text) => JSON.parse(text) as unknown), [
      { messages: [{ role: 'user', content: 'Question 1?' }, { role: 'assistant', content: 'Answer 1.' }] },
      { messages: [{ role: 'user', content: 'Question 2?' }, { role: 'assistant', content: 'Answer 2.' }] },
    ]);
    assert.match(run('datasets', 'export', 'support', '--format', 'csv').stderr, /--format: expected one of openai, bedrock, vertex, eval/);
    assert.match(run('datasets', 'export', 'support', '--format', 'eval', '--version', '5').stderr, /No dataset "support" version 5/);
    assert.match(run('datasets', 'delete', 'support').stdout, /Deleted 1 version of support/);
    assert.match(run('datasets', 'delete', 'support').stderr, /No dataset "support"/);
  });

  test('arguments are checked', () => {
    assert.match(run('datasets').stderr, /switchyard datasets list/);
    assert.match(run('datasets', 'import', 'bad name!', 'x.jsonl').stderr, /NAME: "bad name!" is not a dataset name/);
    assert.match(run('datasets', 'create', 'fresh', '--status', 'fine').stderr, /filter\.status: expected an HTTP status/);
    assert.match(run('datasets', 'create', 'fresh', '--filter', '{oops').stderr, /--filter: not valid JSON/);
    assert.match(run('datasets', 'create', 'fresh', '--model', 'mini').stderr, /The filter matches no captured request with bodies/);
  });
});
