/**
 * Writes RouteLLM's MMLU outcomes (contaminated prompts dropped) as `switchyard router train` data.
 * Usage: node dist/bench/router/mmlu-to-jsonl.js DATA_DIR OUT.jsonl
 */
import { writeFileSync } from 'node:fs';
import { readMmlu, strongModel, weakModel } from './mmlu-data.js';

const [directory, out] = process.argv.slice(2);
if (!directory || !out) throw new Error('Usage: mmlu-to-jsonl DATA_DIR OUT.jsonl');
const rows = readMmlu(directory);
writeFileSync(out, `${rows.map((row) => JSON.stringify({ prompt: row.prompt, scores: { [strongModel]: row.strong, [weakModel]: row.weak } })).join('\n')}\n`);
process.stdout.write(`${rows.length} rows written to ${out}\n`);
