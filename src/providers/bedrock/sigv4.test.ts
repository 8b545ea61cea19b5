import assert from 'node:assert/strict';
import { test } from 'node:test';
import { amzDate, canonicalRequest, sha256Hex, signingKey, signRequest } from './sigv4.js';

// The credentials, date and expected values of AWS's published SigV4 examples and test suite.
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const date = new Date(Date.UTC(2015, 7, 30, 12, 36, 0));
const vanilla = { credentials, date, region: 'us-east-1', service: 'service', body: '', headers: {}, signContentHash: false } as const;

test('the date is written in ISO 8601 basic format', () => {
  assert.equal(amzDate(date), '20150830T123600Z');
});

test('get-vanilla: canonical request, its hash and the signature match the test suite', () => {
  const canonical = canonicalRequest('GET', new URL('https://example.amazonaws.com/'), { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z' }, sha256Hex(''));
  assert.equal(
    canonical,
    'GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  );
  assert.equal(sha256Hex(canonical), 'bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63');
  const headers = signRequest({ ...vanilla, method: 'GET', url: 'https://example.amazonaws.com/' });
  assert.deepEqual(headers, {
    'x-amz-date': '20150830T123600Z',
    authorization:
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
  });
});

test('post-vanilla and get-vanilla-query-order-key-case match the test suite', () => {
  const post = signRequest({ ...vanilla, method: 'POST', url: 'https://example.amazonaws.com/' });
  assert.match(post.authorization ?? '', /Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b$/);
  const query = signRequest({ ...vanilla, method: 'GET', url: 'https://example.amazonaws.com/?Param2=value2&Param1=value1' });
  assert.match(query.authorization ?? '', /Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500$/);
});

test('the IAM ListUsers example: signing key and signature', () => {
  assert.equal(signingKey(credentials.secretAccessKey, '20150830', 'us-east-1', 'iam').toString('hex'), 'c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9');
  const headers = signRequest({
    ...vanilla,
    service: 'iam',
    method: 'GET',
    url: 'https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
  });
  assert.equal(
    headers.authorization,
    'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
  );
  assert.equal(headers['Content-Type'], 'application/x-www-form-urlencoded; charset=utf-8');
});

test('path segments are encoded once more for signing, as non-S3 services require', () => {
  const url = new URL(`https://bedrock-runtime.us-east-1.amazonaws.com/model/${encodeURIComponent('anthropic.claude-v2:1')}/converse`);
  const canonical = canonicalRequest('POST', url, { host: url.host }, sha256Hex('{}'));
  assert.equal(canonical.split('\n')[1], '/model/anthropic.claude-v2%253A1/converse');
});

test('the content hash and session token are added and signed', () => {
  const body = '{"messages":[]}';
  const headers = signRequest({
    method: 'POST',
    url: 'https://bedrock-runtime.eu-west-1.amazonaws.com/model/m/converse',
    headers: { 'content-type': 'application/json' },
    body,
    credentials: { ...credentials, sessionToken: 'session-token-value' },
    region: 'eu-west-1',
    service: 'bedrock',
    date,
  });
  assert.equal(headers['x-amz-content-sha256'], sha256Hex(body));
  assert.equal(headers['x-amz-security-token'], 'session-token-value');
  assert.equal(headers['content-type'], 'application/json');
  assert.match(
    headers.authorization ?? '',
    /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20150830\/eu-west-1\/bedrock\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
  );
  assert.ok(!Object.values(headers).some((value) => value.includes(credentials.secretAccessKey)));
});
