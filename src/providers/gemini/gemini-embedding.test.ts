import assert from 'node:assert/strict';
import { test } from 'node:test';
import { convertToVertexEmbeddingBody, parseVertexEmbeddingResponse } from './gemini-embedding.js';

test('Vertex embeddings send one instance per input and the dimensions as outputDimensionality', () => {
  assert.deepEqual(convertToVertexEmbeddingBody({ model: 'e', input: ['first', 'second'], dimensions: 256 }), {
    instances: [{ content: 'first' }, { content: 'second' }],
    parameters: { outputDimensionality: 256 },
  });
  assert.deepEqual(convertToVertexEmbeddingBody({ model: 'e', input: ['only'] }), { instances: [{ content: 'only' }] });
});

test('Vertex predictions decode in order, and their token counts add up to the input usage', () => {
  const parsed = parseVertexEmbeddingResponse(
    {
      predictions: [
        { embeddings: { statistics: { token_count: 5, truncated: false }, values: [0.1, 0.2] } },
        { embeddings: { statistics: { truncated: false, token_count: 6 }, values: [0.3, 0.4] } },
      ],
      metadata: { billableCharacterCount: 35 },
    },
    'text-embedding-005',
  );
  assert.deepEqual(parsed.embeddings, [[0.1, 0.2], [0.3, 0.4]]);
  assert.equal(parsed.usage?.inputTokens, 11);
  assert.equal(parseVertexEmbeddingResponse({ predictions: [{ embeddings: { values: [1] } }] }, 'm').usage, undefined);
  assert.throws(() => parseVertexEmbeddingResponse({ error: 'x' }, 'm'), /without predictions/);
});
