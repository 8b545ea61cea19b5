import assert from 'node:assert/strict';
import { createFramer } from '../../../src/providers/shared/stream-framer.js';
import { asJson, checkEvent, type Json } from './event-schema.js';

const terminalTypes = ['response.completed', 'response.incomplete', 'response.failed', 'error'];
const responseEvents = ['response.created', 'response.in_progress', 'response.queued', ...terminalTypes.filter((type) => type !== 'error')];

/** The gateway's SSE text read back with the same parser the gateway uses for upstream streams. */
export function readEvents(text: string): Json[] {
  const framer = createFramer('sse');
  const frames = [...framer.push(new TextEncoder().encode(text)), ...framer.flush()];
  return frames.map((frame, index) => {
    const event = asJson(JSON.parse(frame.data) as unknown, `event ${index}`);
    assert.equal(frame.event, event.type, `event ${index}: the SSE event name is the payload type`);
    return event;
  });
}

interface ItemState {
  id: string;
  type: string;
  outputIndex: number;
  /** The order of the item's own events, from added to done. */
  steps: string[];
  text: Map<number, string>;
  summary: Map<number, string>;
  arguments: string;
  /** Content parts (`content:<index>`) and summary parts (`summary:<index>`) added and not yet done. */
  openParts: Set<string>;
  done?: Json;
}

const partEvents: Record<string, 'open' | 'close' | 'inside'> = {
  'response.content_part.added': 'open', 'response.content_part.done': 'close',
  'response.reasoning_summary_part.added': 'open', 'response.reasoning_summary_part.done': 'close',
};

/** Every content or summary index an event names is one its item opened with a part event and has not closed yet. */
function trackParts(state: ItemState, event: Json, where: string): void {
  const type = event.type as string;
  const key = 'summary_index' in event ? `summary:${String(event.summary_index)}` : 'content_index' in event ? `content:${String(event.content_index)}` : undefined;
  if (key === undefined) return;
  const role = partEvents[type] ?? 'inside';
  if (role === 'open') {
    assert.ok(!state.openParts.has(key), `${where}: ${key} is added once`);
    state.openParts.add(key);
    return;
  }
  assert.ok(state.openParts.has(key), `${where}: ${key} of item ${state.id} was added and is not done`);
  if (role === 'close') state.openParts.delete(key);
}

export interface StreamOutcome {
  events: Json[];
  types: string[];
  /** The response object of the terminal event (absent when the stream ended with an `error` event). */
  final: Json | undefined;
  terminal: string;
  /** Output items as their output_item.done events gave them, by output index. */
  doneItems: Json[];
}

function keyOf(event: Json): string {
  return `${String(event.item_id)}@${String(event.output_index)}`;
}

/** Deltas and done events of one item must agree: the done text is the joined deltas. */
function trackContent(state: ItemState, event: Json, where: string): void {
  const type = event.type as string;
  const content = event.content_index as number;
  const summary = event.summary_index as number;
  if (type === 'response.output_text.delta' || type === 'response.reasoning_text.delta' || type === 'response.refusal.delta') {
    state.text.set(content, (state.text.get(content) ?? '') + (event.delta as string));
  } else if (type === 'response.output_text.done' || type === 'response.reasoning_text.done') {
    assert.equal(event.text, state.text.get(content) ?? '', `${where}: the done text is the joined deltas`);
  } else if (type === 'response.content_part.done') {
    const part = event.part as Json;
    if (part.type === 'output_text') assert.equal(part.text, state.text.get(content) ?? '', `${where}: the done part holds the joined deltas`);
  } else if (type === 'response.reasoning_summary_text.delta') {
    state.summary.set(summary, (state.summary.get(summary) ?? '') + (event.delta as string));
  } else if (type === 'response.reasoning_summary_text.done') {
    assert.equal(event.text, state.summary.get(summary) ?? '', `${where}: the done summary is the joined deltas`);
  } else if (type === 'response.function_call_arguments.delta') {
    state.arguments += event.delta as string;
  } else if (type === 'response.function_call_arguments.done') {
    assert.equal(event.arguments, state.arguments, `${where}: the done arguments are the joined deltas`);
  }
}

function checkItemDone(state: ItemState, event: Json, where: string): void {
  const item = event.item as Json;
  assert.equal(item.id, state.id, `${where}: the item id is the one output_item.added gave`);
  assert.equal(item.type, state.type, `${where}: the item type is the one output_item.added gave`);
  if (item.type === 'function_call' && state.steps.includes('response.function_call_arguments.done')) assert.equal(item.arguments, state.arguments, `${where}: the item holds the streamed arguments`);
  if (item.type === 'message') {
    (item.content as Json[]).forEach((part, index) => {
      if (part.type === 'output_text') assert.equal(part.text, state.text.get(index) ?? '', `${where}: content ${index} holds the streamed text`);
    });
  }
  state.done = item;
}

/** The item events of one output item in the documented order, per item type. */
const itemGrammar: Record<string, RegExp> = {
  message: /^added( part-added (text-delta )*text-done part-done| part-added (refusal-delta )*refusal-done part-done|( annotation-added)?)* done$/,
  function_call: /^added (arguments-delta )*arguments-done done$/,
  reasoning: /^added( summary-part-added (summary-delta )*summary-done summary-part-done)*( part-added (reasoning-delta )*reasoning-done part-done)* done$/,
};

const stepNames: Record<string, string> = {
  'response.output_item.added': 'added', 'response.output_item.done': 'done',
  'response.content_part.added': 'part-added', 'response.content_part.done': 'part-done',
  'response.output_text.delta': 'text-delta', 'response.output_text.done': 'text-done', 'response.output_text.annotation.added': 'annotation-added',
  'response.refusal.delta': 'refusal-delta', 'response.refusal.done': 'refusal-done',
  'response.function_call_arguments.delta': 'arguments-delta', 'response.function_call_arguments.done': 'arguments-done',
  'response.reasoning_summary_part.added': 'summary-part-added', 'response.reasoning_summary_part.done': 'summary-part-done',
  'response.reasoning_summary_text.delta': 'summary-delta', 'response.reasoning_summary_text.done': 'summary-done',
  'response.reasoning_text.delta': 'reasoning-delta', 'response.reasoning_text.done': 'reasoning-done',
};

function checkGrammar(state: ItemState, complete: boolean): void {
  const grammar = itemGrammar[state.type];
  if (!grammar || !complete) return;
  const steps = state.steps.map((step) => stepNames[step] ?? step).join(' ');
  assert.match(steps, grammar, `item ${state.id} (${state.type}) streams its events in the documented order`);
}

/**
 * Checks a whole Responses event stream: every event's shape, sequence numbers 0, 1, 2, ..., created then
 * in_progress first, exactly one terminal event last, output items added in output order one after another with
 * stable ids, and every delta joined into the done events and items. Returns what the client ends up with.
 */
export function checkStream(events: Json[]): StreamOutcome {
  assert.ok(events.length >= 3, 'the stream has events');
  events.forEach((event, index) => checkEvent(event, `event ${index}`));
  assert.deepEqual(events.map((event) => event.sequence_number), events.map((_, index) => index), 'sequence numbers count from 0 without gaps');
  const types = events.map((event) => event.type as string);
  assert.deepEqual(types.slice(0, 2), ['response.created', 'response.in_progress'], 'the stream opens with response.created then response.in_progress');
  const terminals = types.filter((type) => terminalTypes.includes(type));
  assert.equal(terminals.length, 1, `exactly one terminal event, got ${terminals.join(', ') || 'none'}`);
  assert.ok(terminalTypes.includes(types.at(-1) ?? ''), 'the terminal event is the last one');
  const ids = new Set(events.filter((event) => responseEvents.includes(event.type as string)).map((event) => (event.response as Json).id));
  assert.equal(ids.size, 1, 'every response object in the stream has the same id');
  const items: ItemState[] = [];
  const open = new Map<string, ItemState>();
  events.forEach((event, index) => {
    const type = event.type as string;
    const where = `event ${index} (${type})`;
    if (type === 'response.output_item.added') {
      assert.equal(open.size, 0, `${where}: the previous output item is done before the next is added`);
      assert.equal(event.output_index, items.length, `${where}: output items are added at output index 0, 1, 2, ...`);
      const item = event.item as Json;
      const state: ItemState = { id: item.id as string, type: item.type as string, outputIndex: items.length, steps: [type], text: new Map(), summary: new Map(), arguments: '', openParts: new Set() };
      assert.ok(!items.some((other) => other.id === state.id), `${where}: item ids are unique`);
      items.push(state);
      open.set(`${state.id}@${state.outputIndex}`, state);
      return;
    }
    if (type === 'response.output_item.done') {
      const state = items[event.output_index as number];
      assert.ok(state && open.has(`${state.id}@${state.outputIndex}`), `${where}: the item at output index ${String(event.output_index)} is open`);
      state.steps.push(type);
      assert.deepEqual([...state.openParts], [], `${where}: every part of the item is done before the item`);
      checkItemDone(state, event, where);
      open.delete(`${state.id}@${state.outputIndex}`);
      checkGrammar(state, true);
      return;
    }
    if (!('item_id' in event)) return;
    const state = open.get(keyOf(event));
    assert.ok(state, `${where}: item ${String(event.item_id)} at output index ${String(event.output_index)} is open`);
    state.steps.push(type);
    trackParts(state, event, where);
    trackContent(state, event, where);
  });
  const terminal = types.at(-1) as string;
  if (terminal !== 'response.failed' && terminal !== 'error') assert.equal(open.size, 0, 'every output item is done before the response is');
  const last = events.at(-1) as Json;
  const final = terminal === 'error' ? undefined : (last.response as Json);
  const doneItems = items.flatMap((state) => (state.done ? [state.done] : []));
  if (final && terminal !== 'response.failed') assert.deepEqual(final.output, doneItems, 'the final output is the items as output_item.done gave them');
  if (final) assert.equal(final.status, { 'response.completed': 'completed', 'response.incomplete': 'incomplete', 'response.failed': 'failed' }[terminal], 'the final status matches the terminal event');
  return { events, types, final, terminal, doneItems };
}
