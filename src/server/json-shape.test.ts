import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../core/errors.js';
import { checkJsonShape } from './json-shape.js';

const limits = { maxJsonDepth: 4, maxJsonArrayLength: 3 };

function refusal(text: string): string | undefined {
  try {
    checkJsonShape(text, limits);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof GatewayError);
    assert.equal(error.code, 'invalid_request');
    return error.message;
  }
}

test('JSON nested up to the depth limit passes, one level more is refused', () => {
  assert.equal(refusal('{"a":[{"b":[1]}]}'), undefined);
  assert.match(refusal('{"a":[{"b":[[1]]}]}') ?? '', /deeper than 4 levels/);
});

test('arrays up to the length limit pass, one element more is refused, whatever their depth', () => {
  assert.equal(refusal('[1,2,3]'), undefined);
  assert.match(refusal('[1,2,3,4]') ?? '', /more than 3 elements/);
  assert.match(refusal('{"a":{"b":["x","y","z","w"]}}') ?? '', /more than 3 elements/);
});

test('commas of objects and of inner arrays are not counted against the outer array', () => {
  assert.equal(refusal('{"a":1,"b":2,"c":3,"d":4,"e":5}'), undefined);
  assert.equal(refusal('[[1,2,3],[4,5,6],{"a":1,"b":2,"c":3}]'), undefined);
});

test('brackets, braces, commas and escaped quotes inside strings are not structure', () => {
  assert.equal(refusal('["[[[[[,,,,", "a\\"[[[[[[,,,,,\\\\", "{{{{{{"]'), undefined);
  assert.match(refusal('["\\\\",[[[[1]]]]]') ?? '', /deeper/);
});

test('malformed text is left for the parser to report', () => {
  assert.equal(refusal('{"a": "unterminated'), undefined);
  assert.equal(refusal(']]]]'), undefined);
});

test('a body of ten million opening brackets is refused', () => {
  assert.match(refusal('['.repeat(10_000_000)) ?? '', /deeper/);
});
