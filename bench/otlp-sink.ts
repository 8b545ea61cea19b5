import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

/**
 * An OTLP/HTTP JSON receiver for benchmarks: it decodes every export and counts spans and request spans, so the
 * report can say what share of requests was sampled. Its own process, like the mock upstream:
 *   node dist/bench/otlp-sink.js --port 9002
 */

export interface SinkStats {
  exports: number;
  bytes: number;
  spans: number;
  /** Spans of kind SERVER: one per sampled request. */
  requestSpans: number;
  badExports: number;
}

interface ExportBody {
  resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: Array<{ kind?: number }> }> }>;
}

const serverKind = 2;

function count(body: ExportBody, stats: SinkStats): void {
  for (const resource of body.resourceSpans ?? []) {
    for (const scope of resource.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) {
        stats.spans += 1;
        if (span.kind === serverKind) stats.requestSpans += 1;
      }
    }
  }
}

export function startSink(port: number): void {
  const stats: SinkStats = { exports: 0, bytes: 0, spans: 0, requestSpans: 0, badExports: 0 };
  createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/_sink/stats') {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
        return;
      }
      const body = Buffer.concat(chunks);
      stats.exports += 1;
      stats.bytes += body.length;
      try {
        count(JSON.parse(body.toString('utf8')) as ExportBody, stats);
      } catch {
        stats.badExports += 1;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  }).listen(port, '127.0.0.1');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const index = process.argv.indexOf('--port');
  startSink(Number(index === -1 ? process.env.SINK_PORT : process.argv[index + 1]));
}
