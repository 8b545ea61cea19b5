import { seededRandom } from '../../src/routing/router/linear-model.js';

/** A synthetic routing data set: some prompts need the strong model (they name a hard topic), most do not. */
export interface SyntheticRow {
  prompt: string;
  hard: boolean;
  scores: Record<string, number>;
}

const fillers = ['please', 'tell', 'me', 'about', 'the', 'a', 'what', 'is', 'how', 'does', 'and', 'of', 'in', 'for', 'with', 'my', 'this', 'that', 'could', 'you', 'explain', 'why', 'when', 'list', 'some', 'good', 'simple', 'short', 'answer', 'question'];
const easyTopics = ['weather', 'breakfast', 'colour', 'holiday', 'garden', 'recipe', 'puppy', 'movie', 'song', 'birthday', 'shopping', 'picnic'];
const hardTopics = ['eigenvalue', 'homology', 'lagrangian', 'theorem', 'asymptotic', 'proof', 'tensor', 'manifold', 'entropy', 'integral', 'convergence', 'isomorphism'];

function pick<T>(items: T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** Deterministic for a seed. Length does not tell hard from easy, so the length rule scores near random. */
export function syntheticRows(count: number, seed: number, models = { strong: 'big', weak: 'small' }): SyntheticRow[] {
  const random = seededRandom(seed);
  const rows: SyntheticRow[] = [];
  for (let index = 0; index < count; index += 1) {
    const hard = random() < 0.3;
    const words: string[] = [];
    const length = 6 + Math.floor(random() * 24);
    for (let position = 0; position < length; position += 1) words.push(pick(fillers, random));
    const topics = hard ? hardTopics : easyTopics;
    for (let topic = 0; topic < 2; topic += 1) words.splice(Math.floor(random() * words.length), 0, pick(topics, random));
    const strong = random() < (hard ? 0.9 : 0.95) ? 1 : 0;
    const weak = random() < (hard ? 0.2 : 0.9) ? 1 : 0;
    rows.push({ prompt: `${words.join(' ')}?`, hard, scores: { [models.strong]: strong, [models.weak]: weak } });
  }
  return rows;
}

export function toJsonl(rows: Array<{ prompt: string; scores?: Record<string, number> }>): string {
  return `${rows.map((row) => JSON.stringify(row.scores ? { prompt: row.prompt, scores: row.scores } : { prompt: row.prompt })).join('\n')}\n`;
}
