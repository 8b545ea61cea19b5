import { createHook } from 'node:async_hooks';

/**
 * Keeps one of Node's internal `process.nextTick` queue entries alive for the life of the process.
 *
 * Node builds every queue entry from one object literal whose first keys are computed (`{ [async_id_symbol]: …,
 * [trigger_async_id_symbol]: …, callback, args }`). V8 holds the hidden classes of such a literal only weakly: when
 * no entry is alive at a full collection, as when a gateway sits idle and the memory reducer runs, they are dropped,
 * the next entry gets new ones, and the literal's store feedback, which had recorded the old ones, turns megamorphic
 * for good. From then on every `nextTick` (streams call it several times per request) defines its properties in
 * the runtime: about 300 ns instead of 60 on Node 20, and some 8% of the gateway's throughput, in a process that
 * otherwise looks the same as one that never idled (bench/tick-shape.ts measures it). One entry held here keeps those
 * hidden classes alive, so the feedback stays monomorphic.
 *
 * The entry is taken from the async-hooks `init` event of one `nextTick` call, with the hook enabled only for that
 * call. Returns the entry (or undefined if this Node version did not report one).
 */
let kept: object | undefined;

export function keepTickShape(): object | undefined {
  if (kept) return kept;
  const hook = createHook({
    init(_asyncId, type, _triggerAsyncId, resource) {
      if (type === 'TickObject' && !kept) kept = resource as object;
    },
  });
  hook.enable();
  try {
    process.nextTick(noop);
  } finally {
    hook.disable();
  }
  return kept;
}

function noop(): void {}
