import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '../../core/errors.js';
import { EvaluationService } from '../../quality/evaluation-service.js';
import type { Gateway } from '../gateway.js';
import { readJsonBody, sendJson } from '../http-body.js';

const services = new WeakMap<Gateway, EvaluationService>();

/** The gateway's evaluation service; 404 when no dataset store is wired to the gateway. */
export function evaluationServiceOf(gateway: Gateway): EvaluationService {
  let service = services.get(gateway);
  if (!service) {
    if (!gateway.datasets) throw new GatewayError('not_found', 'Evaluations need datasets, and this gateway has no dataset store.');
    services.set(gateway, (service = new EvaluationService(gateway, gateway.datasets)));
  }
  return service;
}

function sendText(response: ServerResponse, contentType: string, text: string, filename: string): void {
  response.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), 'content-disposition': `attachment; filename="${filename}"` });
  response.end(text);
}

/**
 * `POST /admin/evaluations` (202 with the run), `GET /admin/evaluations`, `GET /admin/evaluations/:id` (progress and
 * results), `.../results.csv`, `.../router-data` (JSONL), `POST .../resume` and `POST .../stop`. False for other paths.
 */
export async function handleEvaluations(gateway: Gateway, request: IncomingMessage, response: ServerResponse, path: string): Promise<boolean> {
  if (!path.startsWith('/admin/evaluations')) return false;
  const method = request.method ?? 'GET';
  if (path === '/admin/evaluations' && method === 'POST') {
    const body = await readJsonBody(request, gateway.config.server);
    const record = await evaluationServiceOf(gateway).create(body);
    sendJson(response, 202, { id: record.id, status: record.status, progress: { done: 0, total: record.total }, spec: record.spec }, { location: `/admin/evaluations/${record.id}` });
    return true;
  }
  if (path === '/admin/evaluations' && method === 'GET') {
    sendJson(response, 200, { data: await gateway.store.evaluations.list() });
    return true;
  }
  const match = /^\/admin\/evaluations\/([^/]+)(\/results\.csv|\/router-data|\/resume|\/stop)?$/.exec(path);
  if (!match) return false;
  const service = evaluationServiceOf(gateway);
  const id = decodeURIComponent(match[1] as string);
  const action = match[2];
  if (method === 'GET' && action === undefined) sendJson(response, 200, await service.summary(id));
  else if (method === 'GET' && action === '/results.csv') sendText(response, 'text/csv; charset=utf-8', await service.csv(id), `${id}.csv`);
  else if (method === 'GET' && action === '/router-data') sendText(response, 'application/x-ndjson', await service.routerData(id), `${id}-router-data.jsonl`);
  else if (method === 'POST' && action === '/resume') sendJson(response, 202, await service.resume(id));
  else if (method === 'POST' && action === '/stop') {
    await service.stop(id);
    sendJson(response, 200, await service.get(id));
  } else return false;
  return true;
}
