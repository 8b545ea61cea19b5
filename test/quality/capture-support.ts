import type { TestGateway } from '../support/test-gateway.js';

/** Sends one request to an ingress with a key; returns the status, the request id and the body text. */
export async function send(gateway: TestGateway, path: string, body: unknown, options: { key?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; id: string; text: string }> {
  const response = await fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${options.key ?? gateway.clientKey}`, 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...options.headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, id: response.headers.get('x-request-id') as string, text: await response.text() };
}

export function chat(model: string, text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model, messages: [{ role: 'user', content: text }], ...extra };
}

/** Creates a client key through the admin API. */
export async function createKey(gateway: TestGateway, body: Record<string, unknown>): Promise<{ id: string; key: string }> {
  const response = await gateway.admin('/admin/keys', { method: 'POST', body: JSON.stringify(body) });
  return (await response.json()) as { id: string; key: string };
}

/** What the store holds for a request, read straight from the capture repository (which decompresses the bodies). */
export async function storedCapture(gateway: TestGateway, id: string) {
  const { store, capture, ledger } = gateway.running.gateway;
  await ledger.flush();
  await capture.flush();
  const row = await store.captures.get(id);
  if (!row) return undefined;
  const decode = (json: string | null) => (json === null ? null : (JSON.parse(json) as Record<string, unknown>));
  return { row, request: decode(row.request), answer: decode(row.answer) };
}

export async function adminJson<T>(gateway: TestGateway, path: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await gateway.admin(path, init);
  return { status: response.status, body: (await response.json()) as T };
}
