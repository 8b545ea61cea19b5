import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { areaUnder, baselineFigures, callsToReach, pgrCurve, routingFigures } from './apgr.js';

// Four prompts. Strong mean 3/4, weak mean 1/4, gap 1/2. Sending a prompt to the strong model gains (strong - weak)/4.
const outcomes = [
  { strong: 1, weak: 0 }, // gain +1
  { strong: 1, weak: 1 }, // gain 0
  { strong: 1, weak: 0 }, // gain +1
  { strong: 0, weak: 0 }, // gain 0
];

describe('APGR and CPT by RouteLLM definitions', () => {
  test('a perfect order recovers the gap with the first two prompts', () => {
    // Order: prompt 0, 2, then 1, 3. PGR after k: 0, 0.5, 1, 1, 1. Trapezoids over steps of 1/4:
    // (0+0.5)/2 + (0.5+1)/2 + (1+1)/2 + (1+1)/2 = 0.25 + 0.75 + 1 + 1 = 3, times 1/4 = 0.75.
    const figures = routingFigures([0.9, 0.2, 0.8, 0.1], outcomes);
    assert.deepEqual(Array.from(pgrCurve([0.9, 0.2, 0.8, 0.1], outcomes)), [0, 0.5, 1, 1, 1]);
    assert.equal(figures.apgr, 0.75);
    assert.equal(figures.cpt50, 0.25);
    assert.equal(figures.cpt80, 0.5);
    assert.equal(figures.strongMean, 0.75);
    assert.equal(figures.weakMean, 0.25);
  });

  test('the worst order recovers nothing until the end', () => {
    // Order: 1, 3, 0, 2. PGR: 0, 0, 0, 0.5, 1. Area: (0 + 0 + 0.25 + 0.75) / 4 = 0.25.
    const figures = routingFigures([0.5, 0.9, 0.1, 0.8], outcomes);
    assert.equal(figures.apgr, 0.25);
    assert.equal(figures.cpt50, 0.75);
    assert.equal(figures.cpt80, 1);
  });

  test('tied scores move PGR linearly, so a constant router is exactly random', () => {
    const curve = pgrCurve([1, 1, 1, 1], outcomes);
    assert.deepEqual(Array.from(curve), [0, 0.25, 0.5, 0.75, 1]);
    assert.equal(areaUnder(curve), 0.5);
    assert.equal(callsToReach(curve, 0.5), 0.5);
  });

  test('the length baseline sends longer prompts first', () => {
    const prompts = ['a long prompt here', 'b', 'a longer prompt still', ''];
    // Lengths order: 2, 0, 1, 3 = the perfect order above.
    assert.equal(baselineFigures(prompts, outcomes).length.apgr, 0.75);
    assert.equal(baselineFigures(prompts, outcomes).random.apgr, 0.5);
  });

  test('no gap between the models is an error, not a division by zero', () => {
    assert.throws(() => routingFigures([1, 2], [{ strong: 1, weak: 1 }, { strong: 0, weak: 0 }]), /same mean score/);
  });
});
