import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { decompressBody } from '../../src/store/capture-compression.js';

/** One piece of output a channel produced: where it came from, and its text. */
export interface ChannelOutput {
  where: string;
  text: string;
}

/** Somewhere the gateway writes to that an outsider might read: logs, HTTP answers, files, command output. */
export interface OutputChannel {
  name: string;
  /** Secrets that may legitimately appear on this channel (a provider's own key in what that provider received). */
  allows?: readonly string[];
  read(): Promise<ChannelOutput[]>;
}

export interface Sighting {
  channel: string;
  where: string;
  secret: string;
  form: string;
  excerpt: string;
}

/** The forms a secret may take in output: as is, URL-encoded, base64, and its middle (a truncated copy). */
function formsOf(secret: string): Array<{ form: string; text: string }> {
  const middle = Math.max(0, Math.floor(secret.length / 2) - 8);
  return [
    { form: 'plain', text: secret },
    { form: 'url-encoded', text: encodeURIComponent(secret) },
    { form: 'base64', text: Buffer.from(secret).toString('base64').replace(/=+$/, '') },
    { form: 'middle 16 characters', text: secret.slice(middle, middle + 16) },
  ];
}

/** Reads every channel and reports each place any of the named secrets shows up, in any of its forms. */
export async function findSecrets(channels: readonly OutputChannel[], secrets: Record<string, string>): Promise<Sighting[]> {
  const sightings: Sighting[] = [];
  for (const channel of channels) {
    const outputs = await channel.read();
    if (outputs.length === 0) throw new Error(`channel ${channel.name} produced nothing to search: the test would prove nothing about it`);
    for (const [name, secret] of Object.entries(secrets)) {
      if (channel.allows?.includes(name)) continue;
      for (const { form, text } of formsOf(secret)) {
        for (const output of outputs) {
          const at = output.text.indexOf(text);
          if (at !== -1) sightings.push({ channel: channel.name, where: output.where, secret: name, form, excerpt: output.text.slice(Math.max(0, at - 80), at + text.length + 40) });
        }
      }
    }
  }
  return sightings;
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every cell of every table, compressed bodies decompressed, so a secret inside a gzipped capture is found too. */
function sqliteCells(path: string): ChannelOutput[] {
  const database = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const tables = database.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
    return tables.map(({ name }) => {
      const rows = database.prepare(`SELECT * FROM "${name}"`).raw().all() as unknown[][];
      const cells = rows.flatMap((row) => row.map((cell) => (Buffer.isBuffer(cell) ? decompressBody(cell) : String(cell))));
      return { where: `${path} table ${name}`, text: cells.join('\n') };
    });
  } finally {
    database.close();
  }
}

/** Every file under a folder as raw bytes, and every SQLite database in it cell by cell. */
export function dataDirectoryChannel(directory: string): OutputChannel {
  return {
    name: 'data directory',
    async read() {
      const files = filesUnder(directory);
      const raw = files.map((path) => ({ where: path, text: readFileSync(path).toString('latin1') }));
      return [...raw, ...files.filter((path) => path.endsWith('.db')).flatMap(sqliteCells)];
    },
  };
}

/** Output collected while the test ran (answers, logs, command output), read back as a channel. */
export function recordedChannel(name: string, outputs: ChannelOutput[], allows?: readonly string[]): OutputChannel {
  return { name, read: async () => outputs, ...(allows ? { allows } : {}) };
}

/** GET answers of an HTTP API, headers included, fetched when the channel is read. */
export function httpChannel(name: string, paths: () => string[], get: (path: string) => Promise<Response>): OutputChannel {
  return {
    name,
    async read() {
      const outputs: ChannelOutput[] = [];
      for (const path of paths()) {
        const response = await get(path);
        outputs.push({ where: `GET ${path} (${response.status})`, text: `${JSON.stringify([...response.headers])}\n${await response.text()}` });
      }
      return outputs;
    },
  };
}
