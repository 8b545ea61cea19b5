import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { syntheticRows } from '../../../test/support/synthetic-router-data.js';
import type { ChatRequest } from '../../core/canonical.js';
import type { Deployment } from '../../core/deployment.js';
import { decide, promptOf } from './route-decision.js';
import { RouterModel } from './router-model.js';
import { trainRouter } from './train-router.js';

// The linear family, pinned: these tests are about the decision, not about which family the data favours.
const model = new RouterModel(trainRouter(syntheticRows(400, 2).map((row, index) => ({ ...row, line: index + 1 })), { source: 'synthetic', family: 'linear' }).file);
const small = { model: 'small' } as Deployment;
const large = { model: 'large' } as Deployment;

function request(text: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'smart', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text }] }], ...extra };
}

const hard = request('explain the proof of this theorem about the manifold and its homology');
const easy = request('what is a good breakfast recipe for a picnic');

describe('router decisions', () => {
  test('maxStrongShare: the strong target only above the calibrated threshold; 0 and 1 send none and all', () => {
    const settings = { model: 'm', maxStrongShare: 0.3 };
    assert.equal(decide({ model, settings, byCost: [small, large], request: hard }).chosen, large);
    assert.equal(decide({ model, settings, byCost: [small, large], request: easy }).chosen, small);
    assert.equal(decide({ model, settings: { model: 'm', maxStrongShare: 0 }, byCost: [small, large], request: hard }).chosen, small);
    assert.equal(decide({ model, settings: { model: 'm', maxStrongShare: 1 }, byCost: [small, large], request: easy }).chosen, large);
    const { decision } = decide({ model, settings, byCost: [small, large], request: hard });
    assert.equal(decision.threshold, model.thresholdFor(0.3));
    assert.equal(decision.choice, 'large');
  });

  test('minQuality: the cheap target while its predicted score clears the bar', () => {
    const settings = { model: 'm', minQuality: 0.6 };
    assert.equal(decide({ model, settings, byCost: [small, large], request: easy }).chosen, small);
    assert.equal(decide({ model, settings, byCost: [small, large], request: hard }).chosen, large);
    assert.equal(decide({ model, settings, byCost: [small, large], request: hard }).decision.threshold, 0.6);
  });

  test('the router reads the last user turn and counts turns, tools and system prompts', () => {
    const conversation = request('first question', {
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: [{ type: 'text', text: 'first question' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'an answer' }] },
        { role: 'user', content: [{ type: 'text', text: 'the follow-up' }, { type: 'image', url: 'https://example.com/a.png' } as never] },
      ],
      tools: [{ name: 'lookup', parameters: {} } as never],
    });
    assert.deepEqual(promptOf(conversation), { prompt: 'the follow-up', context: { turns: 2, tools: 1, hasSystem: true } });
  });
});
