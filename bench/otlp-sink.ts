import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

/**
 * An OTLP/HTTP receiver for benchmarks, protobuf or JSON: it counts the spans and request spans of every export, so
 * the report can say what share of requests was sampled. Its own process, like the mock upstream:
 *   node dist/bench/otlp-sink.js --port 9002
 * Exports are only kept as they arrive and decoded when the stats are asked for, so the sink's CPU does not compete
 * with the gateway during a measured run on the same machine (a collector would run elsewhere).
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

/** One field of a protobuf message: its number, and its varint value or the [start, end) of its bytes. */
interface Field {
  number: number;
  value: number;
  start: number;
  end: number;
}

/** The fields of one protobuf message between `start` and `end` (wire types 0, 1, 2 and 5). */
function fieldsOf(bytes: Uint8Array, start: number, end: number): Field[] {
  const fields: Field[] = [];
  let at = start;
  const varint = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[at++] as number;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
      shift += 7;
    }
  };
  while (at < end) {
    const key = varint();
    const wireType = key % 8;
    const number = Math.floor(key / 8);
    if (wireType === 0) fields.push({ number, value: varint(), start: at, end: at });
    else if (wireType === 1 || wireType === 5) at += wireType === 1 ? 8 : 4;
    else if (wireType === 2) {
      const length = varint();
      fields.push({ number, value: length, start: at, end: at + length });
      at += length;
    } else throw new Error(`unexpected protobuf wire type ${wireType}`);
  }
  return fields;
}

const nested = (bytes: Uint8Array, parent: { start: number; end: number }, number: number) => fieldsOf(bytes, parent.start, parent.end).filter((field) => field.number === number);

/** ExportTraceServiceRequest: resource_spans (1) hold scope_spans (2), which hold spans (2); Span.kind is field 6. */
function countProtobuf(bytes: Uint8Array, stats: SinkStats): void {
  for (const resource of nested(bytes, { start: 0, end: bytes.length }, 1)) {
    for (const scope of nested(bytes, resource, 2)) {
      for (const span of nested(bytes, scope, 2)) {
        stats.spans += 1;
        if (nested(bytes, span, 6)[0]?.value === serverKind) stats.requestSpans += 1;
      }
    }
  }
}

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
  /** Exports received since the last stats request, not yet decoded. */
  let received: Array<{ body: Buffer; protobuf: boolean }> = [];
  const decodeReceived = () => {
    for (const { body, protobuf } of received) {
      try {
        if (protobuf) countProtobuf(body, stats);
        else count(JSON.parse(body.toString('utf8')) as ExportBody, stats);
      } catch {
        stats.badExports += 1;
      }
    }
    received = [];
  };
  createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/_sink/stats') {
        decodeReceived();
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
        return;
      }
      const body = Buffer.concat(chunks);
      stats.exports += 1;
      stats.bytes += body.length;
      received.push({ body, protobuf: request.headers['content-type'] === 'application/x-protobuf' });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  }).listen(port, '127.0.0.1');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const index = process.argv.indexOf('--port');
  startSink(Number(index === -1 ? process.env.SINK_PORT : process.argv[index + 1]));
}
