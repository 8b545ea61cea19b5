import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../../core/errors.js';
import { bedrockEmbeddingBatchSize, bedrockEmbeddingFamily, convertToBedrockEmbeddingBody, parseBedrockEmbeddingResponse } from './bedrock-embedding.js';

test('the batch size follows the model family: one text per Titan call, 96 per Cohere call', () => {
  assert.equal(bedrockEmbeddingBatchSize('amazon.titan-embed-text-v2:0'), 1);
  assert.equal(bedrockEmbeddingBatchSize('eu.cohere.embed-multilingual-v3'), 96);
});

test('the body follows the model family, cross-region prefixes included', () => {
  assert.equal(bedrockEmbeddingFamily('amazon.titan-embed-text-v2:0'), 'titan');
  assert.equal(bedrockEmbeddingFamily('us.cohere.embed-v4:0'), 'cohere');
  assert.deepEqual(convertToBedrockEmbeddingBody({ model: 'e', input: ['one'] }, 'amazon.titan-embed-text-v1'), { inputText: 'one' });
  assert.deepEqual(convertToBedrockEmbeddingBody({ model: 'e', input: ['a', 'b'], dimensions: 512 }, 'cohere.embed-v4:0'), {
    texts: ['a', 'b'],
    input_type: 'search_document',
    output_dimension: 512,
  });
});

test('requests a model cannot take are refused before sending, naming what to change', () => {
  const refused = (run: () => unknown, pattern: RegExp) =>
    assert.throws(run, (error: unknown) => error instanceof GatewayError && error.code === 'invalid_request' && pattern.test(error.message));
  refused(() => convertToBedrockEmbeddingBody({ model: 'e', input: ['a', 'b'] }, 'amazon.titan-embed-text-v2:0'), /one text per call; this call has 2/);
  refused(() => convertToBedrockEmbeddingBody({ model: 'e', input: Array.from({ length: 97 }, () => 'x') }, 'cohere.embed-english-v3'), /at most 96 texts/);
  refused(() => convertToBedrockEmbeddingBody({ model: 'e', input: ['a'] }, 'anthropic.claude-3-haiku-20240307-v1:0'), /not a supported embedding model/);
});

test('Titan usage comes from the body, Cohere usage from the token-count header', () => {
  const titan = parseBedrockEmbeddingResponse({ embedding: [0.1, -0.2], inputTextTokenCount: 7, embeddingsByType: { float: [0.1, -0.2] } }, 'amazon.titan-embed-text-v2:0');
  assert.deepEqual(titan.embeddings, [[0.1, -0.2]]);
  assert.equal(titan.usage?.inputTokens, 7);
  const cohere = parseBedrockEmbeddingResponse(
    { id: 'x', texts: ['a', 'b'], embeddings: [[1, 2], [3, 4]], response_type: 'embeddings_floats' },
    'cohere.embed-english-v3',
    { 'x-amzn-bedrock-input-token-count': '5' },
  );
  assert.deepEqual(cohere.embeddings, [[1, 2], [3, 4]]);
  assert.equal(cohere.usage?.inputTokens, 5);
  const byType = parseBedrockEmbeddingResponse({ id: 'y', embeddings: { float: [[5, 6]] }, response_type: 'embeddings_by_type' }, 'cohere.embed-v4:0');
  assert.deepEqual(byType.embeddings, [[5, 6]]);
  assert.equal(byType.usage, undefined, 'no count anywhere: the gateway estimates');
  assert.throws(() => parseBedrockEmbeddingResponse({ message: 'odd' }, 'cohere.embed-v4:0'), /no float embeddings/);
});
