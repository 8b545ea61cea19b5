import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isSampled, parseTraceparent, RandomIds } from './trace-sampling.js';

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('trace sampling before any span', () => {
  test('reads a valid traceparent and ignores malformed or invalid ones', () => {
    assert.deepEqual(parseTraceparent(`00-${traceId}-00f067aa0ba902b7-01`), { traceId, spanId: '00f067aa0ba902b7', sampled: true });
    assert.deepEqual(parseTraceparent(`00-${traceId}-00f067aa0ba902b7-02`), { traceId, spanId: '00f067aa0ba902b7', sampled: false });
    for (const bad of [undefined, ['a', 'b'], '', `00-${traceId}-00f067aa0ba902b7`, `00-${traceId.toUpperCase()}-00f067aa0ba902b7-01`, `ff-${traceId}-00f067aa0ba902b7-01`, `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`, `00-${traceId}-${'0'.repeat(16)}-01`]) {
      assert.equal(parseTraceparent(bad), undefined, String(bad));
    }
  });

  test('a parent-based sampler follows the parent, whatever the ratio', () => {
    const sampledParent = { traceId, spanId: '00f067aa0ba902b7', sampled: true };
    assert.equal(isSampled({ ratio: 0, parentBased: true }, sampledParent), true);
    assert.equal(isSampled({ ratio: 1, parentBased: true }, { ...sampledParent, sampled: false }), false);
  });

  test('a ratio sampler decides a known trace id the same way every time, from its last 32 bits', () => {
    const low = { traceId: `${'f'.repeat(24)}0000ffff`, spanId: '00f067aa0ba902b7', sampled: false };
    const high = { traceId: `${'0'.repeat(24)}ffff0000`, spanId: '00f067aa0ba902b7', sampled: true };
    for (let run = 0; run < 3; run += 1) {
      assert.equal(isSampled({ ratio: 0.5, parentBased: false }, low), true);
      assert.equal(isSampled({ ratio: 0.5, parentBased: false }, high), false);
    }
  });

  test('a root ratio samples about its share of requests', () => {
    let sampled = 0;
    for (let index = 0; index < 20_000; index += 1) if (isSampled({ ratio: 0.1, parentBased: true }, undefined)) sampled += 1;
    // 2,000 expected; the standard deviation is about 42.
    assert.ok(sampled > 1_750 && sampled < 2_250, `${sampled} of 20,000`);
    assert.equal(isSampled({ ratio: 1, parentBased: false }, undefined), true);
    assert.equal(isSampled({ ratio: 0, parentBased: false }, undefined), false);
  });

  test('random ids are hex of the W3C lengths, distinct across pool refills', () => {
    const ids = new RandomIds();
    const seen = new Set<string>();
    for (let index = 0; index < 1_000; index += 1) {
      const trace = ids.traceId();
      const span = ids.spanId();
      assert.match(trace, /^[0-9a-f]{32}$/);
      assert.match(span, /^[0-9a-f]{16}$/);
      seen.add(trace);
    }
    // 1,000 trace ids of 16 bytes each cross the 4 KiB pool several times.
    assert.equal(seen.size, 1_000);
  });
});
