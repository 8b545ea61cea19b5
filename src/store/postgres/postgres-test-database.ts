import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** From dist/src/store/postgres/ back to the checkout's scripts/ folder. */
const ensureScript = fileURLToPath(new URL('../../../../scripts/ensure-postgres.sh', import.meta.url));

let serverUrl: Promise<string> | undefined;

function startPrivateServer(): string {
  const result = spawnSync('bash', [ensureScript], { encoding: 'utf8', timeout: 15 * 60_000, maxBuffer: 64 * 1024 * 1024 });
  const lines = (result.stdout ?? '').split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
  const url = lines.at(-1);
  if (result.error || result.status !== 0 || !url || !/^postgres(ql)?:\/\//.test(url)) {
    const reason = result.error ? result.error.message : `exit status ${String(result.status)}, signal ${String(result.signal)}`;
    throw new Error(`scripts/ensure-postgres.sh failed (${reason})\n--- stdout\n${result.stdout ?? ''}\n--- stderr\n${result.stderr ?? ''}`);
  }
  return url;
}

/** The test server: SWITCHYARD_TEST_POSTGRES_URL when set, otherwise the private cluster that scripts/ensure-postgres.sh runs. */
export function testPostgresUrl(): Promise<string> {
  serverUrl ??= Promise.resolve().then(() => process.env.SWITCHYARD_TEST_POSTGRES_URL || startPrivateServer());
  return serverUrl;
}

export interface TestSchema {
  name: string;
  /** Connects with `search_path` set to the fresh schema, so every table the store makes lands there. */
  url: string;
  drop(): Promise<void>;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty schema on the test server, so runs never see each other's rows. */
export async function createTestSchema(): Promise<TestSchema> {
  const base = await testPostgresUrl();
  const name = `contract_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withClient(base, (client) => client.query(`CREATE SCHEMA ${name}`));
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${name}`);
  return {
    name,
    url: url.toString(),
    drop: () => withClient(base, (client) => client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`)).then(() => undefined),
  };
}

/** Runs one query against a schema made by createTestSchema, for assertions the Store interface does not expose. */
export function queryTestSchema<R extends pg.QueryResultRow>(schema: TestSchema, text: string): Promise<R[]> {
  return withClient(schema.url, async (client) => (await client.query<R>(text)).rows);
}
