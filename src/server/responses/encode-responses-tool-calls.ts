import type { ProviderMetadata, ToolCall } from '../../core/canonical.js';
import type { Json } from '../openai/field-reader.js';
import { isCompleteObject } from '../complete-json-object.js';

type Emit = (type: string, fields: Json) => string;

interface QueuedCall {
  call: ToolCall;
  itemId: string;
  /** Set once its output_item.added is written. */
  outputIndex: number | undefined;
  /** Argument fragments received while an earlier call's item was open. */
  pending: string;
  done: boolean;
}

/**
 * The function_call items of one Responses stream. Output items never overlap, so a call that starts while an earlier
 * call's arguments are still incomplete (parallel calls interleaved, as some OpenAI-style hosts stream them) is held
 * with its fragments until the earlier calls are complete, or until other output or the end closes them all, in the
 * order they started. A fragment for a call whose item is already done can only follow a complete object: dropped.
 */
export class ResponsesToolCalls {
  /** Every call in the order it started, which is the order of its items. */
  readonly calls: ToolCall[] = [];
  private readonly byIndex = new Map<number, QueuedCall>();
  private queue: QueuedCall[] = [];

  constructor(
    private readonly emit: Emit,
    private readonly nextOutputIndex: () => number,
    private readonly itemIdFor: (position: number) => string,
  ) {}

  start(index: number, id: string, name: string, providerMetadata?: ProviderMetadata): string {
    if (this.byIndex.has(index)) return '';
    const queued: QueuedCall = { call: { id, name, arguments: '', ...(providerMetadata ? { providerMetadata } : {}) }, itemId: this.itemIdFor(this.calls.length), outputIndex: undefined, pending: '', done: false };
    this.calls.push(queued.call);
    this.byIndex.set(index, queued);
    this.queue.push(queued);
    return this.advance();
  }

  delta(index: number, fragment: string): string {
    const queued = this.byIndex.get(index);
    if (!queued || queued.done || fragment === '') return '';
    queued.call.arguments += fragment;
    if (queued !== this.queue[0] || queued.outputIndex === undefined) {
      queued.pending += fragment;
      return '';
    }
    return this.argumentsDelta(queued, fragment) + this.advance();
  }

  /** Writes every call still open or held, in the order they started. */
  closeAll(): string {
    let out = '';
    for (const queued of this.queue) {
      if (queued.outputIndex === undefined) out += this.openItem(queued);
      out += this.finish(queued);
    }
    this.queue = [];
    return out;
  }

  /** Opens the oldest call's item, and closes it once its arguments are complete and a later call is waiting. */
  private advance(): string {
    let out = '';
    for (;;) {
      const head = this.queue[0];
      if (!head) return out;
      if (head.outputIndex === undefined) out += this.openItem(head);
      if (this.queue.length < 2 || !isCompleteObject(head.call.arguments)) return out;
      out += this.finish(head);
      this.queue.shift();
    }
  }

  private openItem(queued: QueuedCall): string {
    const outputIndex = this.nextOutputIndex();
    queued.outputIndex = outputIndex;
    const { call } = queued;
    let out = this.emit('response.output_item.added', { output_index: outputIndex, item: { type: 'function_call', id: queued.itemId, call_id: call.id, name: call.name, arguments: '', status: 'in_progress' } });
    if (queued.pending !== '') out += this.argumentsDelta(queued, queued.pending);
    queued.pending = '';
    return out;
  }

  private argumentsDelta(queued: QueuedCall, delta: string): string {
    return this.emit('response.function_call_arguments.delta', { item_id: queued.itemId, output_index: queued.outputIndex as number, delta });
  }

  private finish(queued: QueuedCall): string {
    queued.done = true;
    const { call } = queued;
    const at = { item_id: queued.itemId, output_index: queued.outputIndex as number };
    return this.emit('response.function_call_arguments.done', { ...at, name: call.name, arguments: call.arguments })
      + this.emit('response.output_item.done', { output_index: at.output_index, item: { type: 'function_call', id: queued.itemId, call_id: call.id, name: call.name, arguments: call.arguments, status: 'completed' } });
  }
}
