import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One MMLU prompt with the outcomes of RouteLLM's two models, and its subject for grouped splits. */
export interface MmluRow {
  prompt: string;
  subject: string;
  strong: number;
  weak: number;
}

export const strongModel = 'gpt-4-1106-preview';
export const weakModel = 'mistralai/Mixtral-8x7B-Instruct-v0.1';

/** RFC 4180 fields: quoted fields may hold commas, newlines and doubled quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index] as string;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Reads RouteLLM's MMLU outcome files, without the prompts it lists as contaminated. */
export function readMmlu(directory: string): MmluRow[] {
  const contaminated = new Set(
    readFileSync(join(directory, 'contaminated_prompts.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => (JSON.parse(line) as { eval_prompt: string }).eval_prompt),
  );
  const rows: MmluRow[] = [];
  for (const name of readdirSync(join(directory, 'responses')).filter((file) => file.endsWith('.csv')).sort()) {
    const [header, ...records] = parseCsv(readFileSync(join(directory, 'responses', name), 'utf8'));
    if (!header) continue;
    const promptColumn = header.indexOf('prompt');
    const strongColumn = header.indexOf(strongModel);
    const weakColumn = header.indexOf(weakModel);
    if (promptColumn < 0 || strongColumn < 0 || weakColumn < 0) throw new Error(`${name}: expected columns prompt, ${strongModel}, ${weakModel}`);
    const subject = name.replace(/^mmlu_/, '').replace(/\.csv$/, '');
    for (const record of records) {
      const prompt = record[promptColumn];
      if (prompt === undefined || record.length < header.length || contaminated.has(prompt)) continue;
      rows.push({ prompt, subject, strong: record[strongColumn] === 'True' ? 1 : 0, weak: record[weakColumn] === 'True' ? 1 : 0 });
    }
  }
  return rows;
}

/** Whole subjects per fold, dealt in a fixed order so every run uses the same split. */
export function subjectFolds(rows: MmluRow[], folds: number): number[] {
  const subjects = [...new Set(rows.map((row) => row.subject))].sort();
  const foldOf = new Map(subjects.map((subject, index) => [subject, index % folds]));
  return rows.map((row) => foldOf.get(row.subject) as number);
}
