import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../../core/errors.js';
import { buildMultipartForm } from './multipart.js';

test('text fields are framed by the boundary with CRLF line ends and a closing delimiter', () => {
  const form = buildMultipartForm([['prompt', 'a red kite'], ['output_format', 'png']], 'XYZ');
  assert.equal(form.contentType, 'multipart/form-data; boundary=XYZ');
  assert.equal(
    form.body,
    '--XYZ\r\ncontent-disposition: form-data; name="prompt"\r\n\r\na red kite\r\n' +
      '--XYZ\r\ncontent-disposition: form-data; name="output_format"\r\n\r\npng\r\n' +
      '--XYZ--\r\n',
  );
});

test('values keep their line breaks and non-ASCII text as they are', () => {
  const form = buildMultipartForm([['prompt', 'first line\r\nsecond — café']], 'B');
  assert.ok(form.body.includes('\r\n\r\nfirst line\r\nsecond — café\r\n--B--\r\n'));
});

test('quotes and line breaks in field names are percent-encoded', () => {
  const form = buildMultipartForm([['a"b\nc', 'v']], 'B');
  assert.ok(form.body.includes('name="a%22b%0Ac"'));
});

test('a value containing the delimiter is refused rather than sent as a broken form', () => {
  assert.throws(() => buildMultipartForm([['prompt', 'x --B y']], 'B'), GatewayError);
});

test('without a given boundary a random one is used and named in the content type', () => {
  const first = buildMultipartForm([['prompt', 'p']]);
  const second = buildMultipartForm([['prompt', 'p']]);
  const boundary = first.contentType.split('boundary=')[1] ?? '';
  assert.ok(boundary.length >= 20);
  assert.ok(first.body.startsWith(`--${boundary}\r\n`));
  assert.notEqual(first.contentType, second.contentType);
});
