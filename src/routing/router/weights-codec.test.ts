import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeWeights, encodeWeights } from './weights-codec.js';

test('weights survive encoding within the int8 square-root step, small ones relatively finer', () => {
  const weights = Float32Array.from([0, 1.5, -1.5, 0.01, -0.2, 0.75]);
  const decoded = decodeWeights(encodeWeights(weights));
  assert.equal(decoded[0], 0);
  assert.equal(decoded[1], 1.5);
  assert.equal(decoded[2], -1.5);
  for (let index = 3; index < weights.length; index += 1) {
    const weight = weights[index] as number;
    // The step at w is about 2 * sqrt(w * scale) / 127.
    assert.ok(Math.abs((decoded[index] as number) - weight) <= Math.sqrt(Math.abs(weight) * 1.5) / 127 + 1e-9, `${weight} -> ${decoded[index]}`);
  }
  assert.throws(() => decodeWeights({ ...encodeWeights(weights), size: 7 }), /weights hold 6 values, expected 7/);
});
