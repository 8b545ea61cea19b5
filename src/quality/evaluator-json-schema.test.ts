import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateJsonSchema } from './evaluator-json-schema.js';

const ticket = {
  type: 'object',
  properties: {
    priority: { type: 'string', enum: ['low', 'high'] },
    count: { type: 'integer', minimum: 0, maximum: 10 },
    tags: { type: 'array', items: { type: 'string', minLength: 1 }, maxItems: 2 },
    owner: { anyOf: [{ type: 'null' }, { $ref: '#/$defs/person' }] },
  },
  required: ['priority', 'count'],
  additionalProperties: false,
  $defs: { person: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false } },
};

test('a value that fits the schema has no problems', () => {
  assert.deepEqual(validateJsonSchema({ priority: 'high', count: 3, tags: ['a'], owner: { name: 'Ada' } }, ticket), []);
  assert.deepEqual(validateJsonSchema({ priority: 'low', count: 0, owner: null }, ticket), []);
});

test('each problem names where it is', () => {
  assert.deepEqual(validateJsonSchema({ priority: 'urgent', count: 11, tags: ['', 'b', 'c'], extra: 1, owner: { name: 3 } }, ticket), [
    '$.priority: not one of the enum values',
    '$.count: 11 is above the maximum 10',
    '$.tags: more than 2 items',
    '$.tags[0]: shorter than 1',
    '$: unexpected property "extra"',
    '$.owner: matches none of anyOf',
  ]);
  assert.deepEqual(validateJsonSchema({ count: 1.5 }, ticket), ['$: missing required property "priority"', '$.count: expected integer, got number']);
  assert.deepEqual(validateJsonSchema('text', ticket), ['$: expected object, got string']);
});

test('number accepts integers; a type list accepts any of its types', () => {
  assert.deepEqual(validateJsonSchema(3, { type: 'number' }), []);
  assert.deepEqual(validateJsonSchema(null, { type: ['string', 'null'] }), []);
  assert.throws(() => validateJsonSchema({}, { $ref: '#/$defs/missing' }), /unknown \$ref/);
});
