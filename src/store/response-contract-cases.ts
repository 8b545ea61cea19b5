import assert from 'node:assert/strict';
import type { ResponseOwner, Store, StoredResponse } from './store.js';

/** Registers a contract case; the store it gets is fresh and empty. */
type Case = (name: string, work: (store: Store) => Promise<void>) => void;

const day = 86_400_000;
const march1 = Date.UTC(2025, 2, 1);
const alice: ResponseOwner = { keyId: 'key_alice', team: 'red' };
const aliceTeammate: ResponseOwner = { keyId: 'key_bob', team: 'red' };
const stranger: ResponseOwner = { keyId: 'key_eve', team: 'blue' };
const loner: ResponseOwner = { keyId: 'key_solo', team: null };
const admin: ResponseOwner = { keyId: null, team: null };

function stored(id: string, overrides: Partial<StoredResponse> = {}): StoredResponse {
  return {
    id, owner: alice, previousResponseId: null, createdAt: march1,
    response: { id, object: 'response', status: 'completed', output: [{ type: 'message', id: `msg_${id}`, role: 'assistant', content: [{ type: 'output_text', text: `answer ${id} é 日本` }] }] },
    inputItems: [{ type: 'message', id: `msg_in_${id}`, role: 'user', content: [{ type: 'input_text', text: `question ${id}` }] }],
    carry: { reasoning: { [`rs_${id}`]: { text: 'thought', format: 'anthropic', signature: 'sig' } } },
    ...overrides,
  };
}

/** The same cases for every driver: what a stored response keeps, who may read it, chains, expiry and the sweep. */
export function responseContractCases(it: Case): void {
  it('responses: insert then get returns the response as written, to its owner and team only', async (store) => {
    const first = stored('resp_1');
    await store.responses.insert(first);
    assert.deepEqual(await store.responses.get('resp_1', alice, 0), first);
    assert.deepEqual(await store.responses.get('resp_1', aliceTeammate, 0), first);
    assert.equal(await store.responses.get('resp_1', stranger, 0), undefined);
    assert.equal(await store.responses.get('resp_1', admin, 0), undefined);
    assert.equal(await store.responses.get('resp_missing', alice, 0), undefined);
    await assert.rejects(store.responses.insert(stored('resp_1')));
  });

  it('responses: small bodies kept as JSON and large ones compressed both read back as written', async (store) => {
    const long = 'a long answer, repeated. '.repeat(2_000);
    const large = stored('resp_large', { response: { id: 'resp_large', object: 'response', status: 'completed', output_text: long, output: [] } });
    await store.responses.insert(stored('resp_small'));
    await store.responses.insert(large);
    assert.deepEqual(await store.responses.get('resp_small', alice, 0), stored('resp_small'));
    assert.deepEqual(await store.responses.get('resp_large', alice, 0), large);
  });

  it('responses: a key without a team, and the admin key, read only their own', async (store) => {
    const solo = stored('resp_solo', { owner: loner, carry: null });
    const byAdmin = stored('resp_admin', { owner: admin });
    await store.responses.insert(solo);
    await store.responses.insert(byAdmin);
    assert.deepEqual(await store.responses.get('resp_solo', loner, 0), solo);
    assert.equal(await store.responses.get('resp_solo', { keyId: 'key_other', team: null }, 0), undefined);
    assert.equal(await store.responses.get('resp_solo', admin, 0), undefined);
    assert.deepEqual(await store.responses.get('resp_admin', admin, 0), byAdmin);
    assert.equal(await store.responses.get('resp_admin', loner, 0), undefined);
  });

  it('responses: delete only by an owner, and reports unknown ids', async (store) => {
    await store.responses.insert(stored('resp_1'));
    assert.equal(await store.responses.delete('resp_1', stranger), false);
    assert.ok(await store.responses.get('resp_1', alice, 0));
    assert.equal(await store.responses.delete('resp_1', alice), true);
    assert.equal(await store.responses.get('resp_1', alice, 0), undefined);
    assert.equal(await store.responses.delete('resp_1', alice), false);
  });

  it('responses: chain follows previous ids oldest first, bounded, and stops at a gap', async (store) => {
    const ids = ['resp_a', 'resp_b', 'resp_c', 'resp_d'];
    for (const [index, id] of ids.entries()) {
      await store.responses.insert(stored(id, { previousResponseId: ids[index - 1] ?? null, createdAt: march1 + index, owner: index === 2 ? aliceTeammate : alice }));
    }
    await store.responses.insert(stored('resp_branch', { previousResponseId: 'resp_b', createdAt: march1 + 9 }));
    const since = { since: 0, maxLength: 100 };
    assert.deepEqual((await store.responses.chain('resp_d', alice, since)).map((entry) => entry.id), ids);
    assert.deepEqual((await store.responses.chain('resp_branch', alice, since)).map((entry) => entry.id), ['resp_a', 'resp_b', 'resp_branch']);
    assert.deepEqual(await store.responses.chain('resp_d', alice, since).then((chain) => chain[3]), stored('resp_d', { previousResponseId: 'resp_c', createdAt: march1 + 3 }));
    assert.deepEqual((await store.responses.chain('resp_d', alice, { since: 0, maxLength: 2 })).map((entry) => entry.id), ['resp_c', 'resp_d']);
    assert.deepEqual(await store.responses.chain('resp_d', stranger, since), []);
    assert.deepEqual(await store.responses.chain('resp_missing', alice, since), []);
    await store.responses.delete('resp_b', alice);
    const cut = await store.responses.chain('resp_d', alice, since);
    assert.deepEqual(cut.map((entry) => entry.id), ['resp_c', 'resp_d']);
    assert.equal(cut[0]?.previousResponseId, 'resp_b');
  });

  it('responses: anything created before `since` is never returned, and the sweep deletes it', async (store) => {
    await store.responses.insert(stored('resp_old', { createdAt: march1 }));
    await store.responses.insert(stored('resp_new', { createdAt: march1 + 30 * day, previousResponseId: 'resp_old' }));
    const since = march1 + day;
    assert.equal(await store.responses.get('resp_old', alice, since), undefined);
    assert.ok(await store.responses.get('resp_old', alice, march1));
    const chain = await store.responses.chain('resp_new', alice, { since, maxLength: 10 });
    assert.deepEqual(chain.map((entry) => entry.id), ['resp_new']);
    assert.equal(await store.responses.sweep(since), 1);
    assert.equal(await store.responses.get('resp_old', alice, 0), undefined);
    assert.ok(await store.responses.get('resp_new', alice, 0));
    assert.equal(await store.responses.sweep(since), 0);
  });
}
