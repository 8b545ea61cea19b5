/** The gateway's error envelope, as every admin and /v1 route answers a failure. */
export interface ErrorEnvelope {
  error: { message: string; type?: string; code?: string | null; param?: string | null };
}

/** A failed call: the HTTP status and the gateway's own message, shown as it is. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | null,
    readonly param: string | null,
  ) {
    super(message);
  }
}

const storageName = 'switchyard.console.key';

/** The signed-in key lives in this tab's session storage only: never a cookie, gone when the tab closes or on sign-out. */
export const keyStore = {
  get(): string | null {
    return sessionStorage.getItem(storageName);
  },
  set(key: string): void {
    sessionStorage.setItem(storageName, key);
  },
  clear(): void {
    sessionStorage.removeItem(storageName);
  },
};

async function failure(response: Response): Promise<ApiError> {
  let body: Partial<ErrorEnvelope> | undefined;
  try {
    body = (await response.json()) as Partial<ErrorEnvelope>;
  } catch {
    body = undefined;
  }
  const message = body?.error?.message ?? `The gateway answered ${response.status} ${response.statusText}.`;
  return new ApiError(response.status, message, body?.error?.code ?? null, body?.error?.param ?? null);
}

export function authHeaders(key = keyStore.get()): Record<string, string> {
  return key ? { authorization: `Bearer ${key}` } : {};
}

/** Calls the gateway with the signed-in key; JSON in and out; throws ApiError with the gateway's message. */
export async function api<T>(path: string, init: { method?: string; body?: unknown; key?: string; signal?: AbortSignal } = {}): Promise<T> {
  const headers: Record<string, string> = { ...authHeaders(init.key ?? keyStore.get()) };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}

export { failure as errorOf };

/** A query string from the set values only. */
export function query(values: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}
