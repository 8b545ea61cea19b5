import assert from 'node:assert/strict';
import { test } from 'node:test';
import { combineOrders, pairwiseRequest, parsePairwise, parsePointwise, pointwiseRequest } from './judge-prompt.js';

test('pointwise scores read the last verdict line and map 1..10 onto 0..1', () => {
  assert.equal(parsePointwise('Could be a 3, but on balance.\nScore: 10', '1-10'), 1);
  assert.equal(parsePointwise('score = 1', '1-10'), 0);
  assert.equal(parsePointwise('Score: **4**', '1-10'), 3 / 9);
  assert.equal(parsePointwise('Score: 11', '1-10'), undefined);
  assert.equal(parsePointwise('no verdict here', '1-10'), undefined);
  assert.equal(parsePointwise('Verdict: FAIL\nOn reflection, Verdict: pass', 'pass-fail'), 1);
  assert.equal(parsePointwise('Verdict: FAIL', 'pass-fail'), 0);
});

test('pairwise verdicts and the two orders', () => {
  assert.equal(parsePairwise('Winner: A'), 'A');
  assert.equal(parsePairwise('winner: b'), 'B');
  assert.equal(parsePairwise('Winner: tie'), 'tie');
  assert.equal(parsePairwise('Both are fine'), undefined);
  assert.equal(combineOrders('A', 'B'), 'win');
  assert.equal(combineOrders('B', 'A'), 'loss');
  // A judge that always picks the first answer is inconsistent: the pair is a tie, not a win.
  assert.equal(combineOrders('A', 'A'), 'tie');
  assert.equal(combineOrders('tie', 'B'), 'tie');
});

test('the judge prompt carries the conversation, the reference and the answer under their headings', () => {
  const request = pointwiseRequest({
    judge: 'judge', rubric: 'Correct and polite.', scale: '1-10', reference: 'Use settings.',
    conversation: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: [{ type: 'text', text: 'How do I reset?' }] }],
    answer: { text: 'Open settings.', toolCalls: [{ id: 'c1', name: 'lookup', arguments: '{"id":1}' }] },
  });
  assert.equal(request.model, 'judge');
  assert.equal(request.temperature, 0);
  const user = request.messages[1];
  assert.ok(user?.role === 'user' && user.content[0]?.type === 'text');
  assert.equal(user.content[0].text, '[Conversation]\nsystem: Be brief.\nuser: How do I reset?\n\n[Reference answer]\nUse settings.\n\n[Answer]\nOpen settings.\n[calls lookup({"id":1})]');
  const pair = pairwiseRequest({ judge: 'judge', rubric: 'r', conversation: [], first: { text: 'one', toolCalls: [] }, second: { text: 'two', toolCalls: [] } });
  const pairUser = pair.messages[1];
  assert.ok(pairUser?.role === 'user' && pairUser.content[0]?.type === 'text');
  assert.match(pairUser.content[0].text, /\[Answer A\]\none\n\n\[Answer B\]\ntwo$/);
});
