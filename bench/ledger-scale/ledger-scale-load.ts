import type pg from 'pg';

/** Six models, each always served by the same provider; the first three through the `chat` route. */
const models = ['gpt-4o-mini', 'gpt-4o', 'claude-sonnet', 'claude-haiku', 'llama-70b', 'mistral-large'];
const providers = ['openai', 'openai', 'anthropic', 'anthropic', 'gpu-east', 'mistral'];

export interface LoadShape {
  rows: number;
  /** Epoch ms of the first request; the rest follow evenly over `spanMs`. */
  from: number;
  spanMs: number;
  customers: number;
}

const sqlArray = (values: string[]) => `ARRAY[${values.map((value) => `'${value}'`).join(', ')}]`;

/**
 * One INSERT … SELECT over generate_series per chunk, computed by the server: the fastest bulk load that needs no
 * client-side rows. Customer c has key key-c and team team-(c mod 10), and uses two of the six models; one request in 50
 * fails, one in 20 is a cache hit, token counts vary with the row number.
 */
function chunkSql(shape: LoadShape, first: number, last: number): { requests: string; attempts: string } {
  const series = `generate_series(${first}::BIGINT, ${last}::BIGINT) AS i`;
  const customer = `(i * 7919) % ${shape.customers}`;
  const model = `((${customer}) + CASE WHEN i % 3 = 0 THEN 1 ELSE 0 END) % ${models.length}`;
  const startedAt = `${shape.from} + (i::BIGINT * ${shape.spanMs}) / ${shape.rows}`;
  const input = `100 + (i * 31) % 900`;
  const output = `20 + (i * 17) % 400`;
  const status = `CASE WHEN i % 50 = 0 THEN 502 ELSE 200 END`;
  const cacheHit = `(i % 20 = 0)`;
  const cost = `CASE WHEN i % 20 = 0 THEN 0 ELSE ((${input}) * 0.15 + (${output}) * 0.6) / 1e6 END`;
  const requests = `INSERT INTO requests (id, started_at, endpoint, key_id, customer, team, requested_model, route, provider, upstream_model, stream, status, error_code,
      input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost_usd, latency_ms, ttft_ms, estimated, catalog_version, cache_hit, saved_usd)
    SELECT 'req-' || i, ${startedAt}, 'chat', 'key-' || (${customer}), 'customer-' || (${customer}), 'team-' || ((${customer}) % 10),
      (${sqlArray(models)})[(${model}) + 1], CASE WHEN (${model}) < 3 THEN 'chat' END, (${sqlArray(providers)})[(${model}) + 1], (${sqlArray(models)})[(${model}) + 1],
      i % 4 = 0, ${status}, CASE WHEN i % 50 = 0 THEN 'upstream_error' END,
      ${input}, (i * 13) % 50, 0, ${output}, (i * 7) % 30, ${cost}, 200 + (i * 37) % 1800, 80 + (i * 11) % 300, false, 'bench', ${cacheHit},
      CASE WHEN i % 20 = 0 THEN ((${input}) * 0.15 + (${output}) * 0.6) / 1e6 ELSE 0 END
    FROM ${series} WHERE true`;
  const attempts = `INSERT INTO attempts (request_id, attempt, started_at, provider, upstream_model, model, status, error_code, input_tokens, cached_input_tokens,
      cache_write_tokens, output_tokens, reasoning_tokens, cost_usd, latency_ms, ttft_ms, estimated, shadow)
    SELECT 'req-' || i, 1, ${startedAt}, (${sqlArray(providers)})[(${model}) + 1], (${sqlArray(models)})[(${model}) + 1], (${sqlArray(models)})[(${model}) + 1],
      ${status}, CASE WHEN i % 50 = 0 THEN 'upstream_error' END, ${input}, (i * 13) % 50, 0, ${output}, (i * 7) % 30, ${cost}, 200 + (i * 37) % 1800, 80 + (i * 11) % 300, false, false
    FROM ${series} WHERE i % 20 <> 0`;
  return { requests, attempts };
}

/** Loads the rows in chunks, reporting progress; returns the seconds the raw rows took. */
export async function bulkLoad(pool: pg.Pool, shape: LoadShape, chunk: number, progress: (line: string) => void): Promise<number> {
  const started = performance.now();
  for (let first = 1; first <= shape.rows; first += chunk) {
    const last = Math.min(shape.rows, first + chunk - 1);
    const { requests, attempts } = chunkSql(shape, first, last);
    await pool.query(requests);
    await pool.query(attempts);
    progress(`loaded ${last.toLocaleString('en-US')} of ${shape.rows.toLocaleString('en-US')} requests (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  return (performance.now() - started) / 1000;
}
