import { Agent, request as httpRequest } from 'node:http';

/** What one soak request does; the mix is drawn per request from these weights. */
export type SoakKind = 'plain' | 'stream' | 'disconnect' | 'flaky' | 'unknown-model';

export const soakMix: Array<[SoakKind, number]> = [
  ['plain', 0.45],
  ['stream', 0.3],
  ['disconnect', 0.1],
  ['flaky', 0.1],
  ['unknown-model', 0.05],
];

export interface SoakModels {
  plain: string;
  stream: string;
  flaky: string;
}

export interface KindCounts {
  sent: number;
  /** By HTTP status, or `disconnected` for streams the client cut after their first chunk, or `socket-error`. */
  outcomes: Record<string, number>;
}

export function pickKind(random: number): SoakKind {
  let total = 0;
  for (const [kind, weight] of soakMix) {
    total += weight;
    if (random < total) return kind;
  }
  return 'plain';
}

function bodyFor(kind: SoakKind, models: SoakModels): string {
  const model = kind === 'plain' ? models.plain : kind === 'flaky' ? models.flaky : kind === 'unknown-model' ? 'no-such-model' : models.stream;
  const stream = kind === 'stream' || kind === 'disconnect';
  return JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello to the soak test.' }], max_tokens: 16, ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}) });
}

/**
 * Sends one request of the given kind and resolves with its outcome: the status once the body has been read to the
 * end, or `disconnected` when a `disconnect` stream was destroyed after its first chunk.
 */
export function sendSoakRequest(target: { url: URL; headers: Record<string, string> }, kind: SoakKind, options: { models: SoakModels; agent: Agent; timeoutMs: number }): Promise<string> {
  const body = bodyFor(kind, options.models);
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: string) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const request = httpRequest(
      { host: target.url.hostname, port: target.url.port, path: target.url.pathname, method: 'POST', agent: options.agent, headers: { ...target.headers, 'content-length': Buffer.byteLength(body) }, timeout: options.timeoutMs },
      (response) => {
        const status = String(response.statusCode ?? 0);
        if (kind === 'disconnect' && response.statusCode === 200) {
          response.once('data', () => {
            request.destroy();
            settle('disconnected');
          });
        } else {
          response.on('data', () => undefined);
        }
        response.on('end', () => settle(status));
        response.on('error', () => settle(kind === 'disconnect' ? 'disconnected' : 'socket-error'));
        response.on('close', () => settle(kind === 'disconnect' ? 'disconnected' : status));
      },
    );
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => settle('socket-error'));
    request.end(body);
  });
}
