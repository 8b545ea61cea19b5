import { executionAsyncResource } from 'node:async_hooks';

/**
 * Keeps one of Node's internal `process.nextTick` queue entries alive for the life of the process.
 *
 * Node builds every queue entry from one object literal whose first keys are computed (`{ [async_id_symbol]: …,
 * [trigger_async_id_symbol]: …, callback, args }`). V8 holds the hidden classes of such a literal only weakly: when
 * no entry is alive at a full collection, as when a gateway sits idle and the memory reducer runs, they are dropped,
 * the next entry gets new ones, and the literal's store feedback, which had recorded the old ones, turns megamorphic
 * for good. From then on every `nextTick` (streams call it several times per request) defines its properties in
 * the runtime: 300 to 500 ns instead of under 100 on Node 20 (bench/tick-shape.ts), and under load a gateway process
 * in that state used 8% more CPU a request than an identical one that was not (bench/results/2026-12-07-tick-shape.md).
 * One entry held here keeps those hidden classes alive, so the feedback stays monomorphic.
 *
 * The entry is the async resource of one `nextTick` callback, read with `executionAsyncResource()`, which Node tracks
 * whether or not any async hook is enabled. (Taking it from an async hook's `init` event works too, but enabling a
 * hook, even briefly, sets V8's promise hooks, which leaves every `await` slower for the rest of the process.)
 */
let kept: object | undefined;

/** Holds one `nextTick` queue entry for good; resolves to it (undefined if this Node version has none to give). */
export async function keepTickShape(): Promise<object | undefined> {
  if (!kept) {
    kept = await new Promise<object>((resolve) => {
      process.nextTick(() => resolve(executionAsyncResource()));
    });
  }
  return kept;
}
