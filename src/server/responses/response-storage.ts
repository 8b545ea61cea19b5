import type { Config } from '../../config/schema.js';
import { GatewayError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { ResponseOwner, ResponseRepository, StoredResponse } from '../../store/store.js';
import type { Principal } from '../auth/key-service.js';
import type { ResponsesHistory } from './decode-responses-input.js';
import { historyOfChain } from './stored-items.js';

const dayMs = 86_400_000;
/** Longest conversation `previous_response_id` follows; far beyond any context window. */
const maxChainLength = 10_000;
/** How long a miss waits before its second look: an answer's write takes a few milliseconds after it is sent. */
const missRetryMs = 100;

export function ownerOf(principal: Principal): ResponseOwner {
  return { keyId: principal.key?.id ?? null, team: principal.key?.team ?? null };
}

function notFound(id: string, param?: string): GatewayError {
  return new GatewayError('not_found', `No response with id '${id}' was found.`, param ? { param } : {});
}

/**
 * Keeps Responses API answers for `previous_response_id` and the retrieval endpoints. Writes run after the answer is
 * sent; a request naming a response whose write is still under way waits for it, so a fast client never races its
 * own previous turn. A failed write is logged with the response id and counted, never dropped silently.
 */
export class ResponseStorage {
  private readonly pending = new Map<string, Promise<void>>();
  private sweeper: NodeJS.Timeout | undefined;
  private counts = { stored: 0, failed: 0, swept: 0 };

  constructor(
    private readonly repository: ResponseRepository,
    private readonly settings: Config['responses'],
    private readonly logger: Logger,
  ) {}

  get enabled(): boolean {
    return this.settings.store;
  }

  stats(): { stored: number; failed: number; swept: number; writing: number } {
    return { ...this.counts, writing: this.pending.size };
  }

  /** Responses created before this instant (epoch ms) count as gone, whether or not the sweep has run. */
  private since(now = Date.now()): number {
    return now - this.settings.retentionDays * dayMs;
  }

  private refuseWhenOff(param?: string): void {
    if (!this.enabled) throw new GatewayError(param ? 'invalid_request' : 'not_found', 'Stored responses are turned off on this gateway (responses.store: false).', param ? { param } : {});
  }

  /** Starts writing a response; the promise settles when it is written or its failure logged. */
  keep(response: StoredResponse): Promise<void> {
    const write = this.repository.insert(response).then(
      () => { this.counts.stored += 1; },
      (error: unknown) => {
        this.counts.failed += 1;
        this.logger.error('stored response not written', { responseId: response.id, error });
      },
    ).finally(() => this.pending.delete(response.id));
    this.pending.set(response.id, write);
    return write;
  }

  /** The conversation `previous_response_id` names, decoded as history; 404 naming the field when any of it is gone. */
  async history(previousId: string, owner: ResponseOwner): Promise<ResponsesHistory> {
    this.refuseWhenOff('previous_response_id');
    await this.pending.get(previousId);
    const query = { since: this.since(), maxLength: maxChainLength };
    let chain = await this.repository.chain(previousId, owner, query);
    if (chain.length === 0) {
      // Another worker or replica may still be writing the answer it just sent; look once more before refusing.
      await new Promise((resolve) => setTimeout(resolve, missRetryMs));
      chain = await this.repository.chain(previousId, owner, query);
    }
    const first = chain[0];
    if (!first) throw notFound(previousId, 'previous_response_id');
    if (first.previousResponseId !== null) {
      if (chain.length >= maxChainLength) throw new GatewayError('invalid_request', `previous_response_id: the conversation is longer than ${maxChainLength} responses.`, { param: 'previous_response_id' });
      throw new GatewayError('not_found', `previous_response_id: an earlier response of this conversation ('${first.previousResponseId}') is no longer stored (deleted or past retention).`, { param: 'previous_response_id' });
    }
    return historyOfChain(chain);
  }

  async get(id: string, owner: ResponseOwner): Promise<StoredResponse> {
    this.refuseWhenOff();
    await this.pending.get(id);
    const found = await this.repository.get(id, owner, this.since());
    if (!found) throw notFound(id);
    return found;
  }

  async delete(id: string, owner: ResponseOwner): Promise<void> {
    this.refuseWhenOff();
    await this.pending.get(id);
    // An expired response is as gone as a deleted one, even before the sweep removes it.
    if (!(await this.repository.get(id, owner, this.since())) || !(await this.repository.delete(id, owner))) throw notFound(id);
  }

  async sweep(now = Date.now()): Promise<number> {
    const removed = await this.repository.sweep(this.since(now));
    this.counts.swept += removed;
    return removed;
  }

  /** Sweeps expired responses now and then every `sweepIntervalSeconds`; a failed sweep is logged and tried again. */
  start(): void {
    if (this.sweeper) return;
    const run = () => void this.sweep().catch((error: unknown) => this.logger.error('stored response sweep failed', { error }));
    run();
    this.sweeper = setInterval(run, this.settings.sweepIntervalSeconds * 1000);
    this.sweeper.unref();
  }

  /** Stops the sweep and waits for writes under way. */
  async stop(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    await Promise.allSettled([...this.pending.values()]);
  }
}
