import type { Worker } from 'node:cluster';
import type { CounterStore, WindowHit } from './counter-store.js';

type Operation = 'reserve' | 'adjust' | 'get' | 'windowHit' | 'windowUndo';

interface CounterCall {
  type: 'switchyard-counter';
  id: number;
  operation: Operation;
  args: unknown[];
}

interface CounterReply {
  type: 'switchyard-counter-reply';
  id: number;
  result?: unknown;
  error?: string;
}

function isReply(message: unknown): message is CounterReply {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'switchyard-counter-reply';
}

/**
 * The counters of a cluster worker: every operation runs in the primary process, which holds the one in-memory
 * store all workers share, so budgets and rate limits hold across workers without Redis.
 */
export class IpcCounterStore implements CounterStore {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly onMessage = (message: unknown) => {
    if (!isReply(message)) return;
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    if (message.error !== undefined) waiting.reject(new Error(message.error));
    else waiting.resolve(message.result);
  };

  constructor() {
    if (!process.send) throw new Error('IpcCounterStore needs a parent process (a cluster worker).');
    process.on('message', this.onMessage);
  }

  private call<T>(operation: Operation, args: unknown[]): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      const message: CounterCall = { type: 'switchyard-counter', id, operation, args };
      process.send?.(message);
    });
  }

  reserve(key: string, amount: number, limit: number, ttlMs: number): Promise<{ allowed: boolean; total: number }> {
    return this.call('reserve', [key, amount, limit, ttlMs]);
  }

  adjust(key: string, delta: number, ttlMs: number): Promise<number> {
    return this.call('adjust', [key, delta, ttlMs]);
  }

  get(key: string): Promise<number> {
    return this.call('get', [key]);
  }

  windowHit(key: string, amount: number, limit: number, windowMs: number, now: number): Promise<WindowHit> {
    return this.call('windowHit', [key, amount, limit, windowMs, now]);
  }

  windowUndo(key: string, amount: number, windowMs: number, hitAt: number): Promise<void> {
    return this.call('windowUndo', [key, amount, windowMs, hitAt]);
  }

  async close(): Promise<void> {
    process.off('message', this.onMessage);
    for (const waiting of this.pending.values()) waiting.reject(new Error('counter store closed'));
    this.pending.clear();
  }
}

/** In the primary: answers the counter calls of a worker from the shared store. */
export function serveCounters(worker: Worker, store: CounterStore): void {
  worker.on('message', (message: unknown) => {
    if (typeof message !== 'object' || message === null || (message as { type?: unknown }).type !== 'switchyard-counter') return;
    const call = message as CounterCall;
    const method = store[call.operation] as (...args: unknown[]) => Promise<unknown>;
    method.apply(store, call.args).then(
      (result) => worker.send({ type: 'switchyard-counter-reply', id: call.id, result } satisfies CounterReply),
      (error: unknown) => worker.send({ type: 'switchyard-counter-reply', id: call.id, error: error instanceof Error ? error.message : String(error) } satisfies CounterReply),
    );
  });
}
