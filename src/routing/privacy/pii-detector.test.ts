import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectPii, redactPii, type PiiKind } from './pii-detector.js';

/** Each finding as `kind: matched text`, in order. */
function found(text: string): string[] {
  return detectPii(text).map((finding) => `${finding.kind}: ${text.slice(finding.start, finding.end)}`);
}

function assertFound(kind: PiiKind, values: readonly string[], around: (value: string) => string = (value) => `see ${value} here`): void {
  for (const value of values) assert.deepEqual(found(around(value)), [`${kind}: ${value}`], value);
}

function assertClean(values: readonly string[]): void {
  for (const value of values) assert.deepEqual(found(value), [], value);
}

// Fake credentials, assembled so that no file holds one whole.
const openAiKey = 'sk-' + 'proj-' + 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z_Q7';
const legacyOpenAiKey = 'sk-' + 'a1B2c3D4'.repeat(6);
const anthropicKey = 'sk-' + 'ant-api03-' + 'Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe-dCbA'.repeat(2) + 'AA';
const awsKeyId = 'AKIA' + 'IOSFODNN7EXAMPLE';
const awsTemporaryKeyId = 'ASIA' + 'Y34FZKBOKMUTVV7A';
const githubToken = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
const githubOauthToken = 'gho_' + '9z8Y7x6W5v4U3t2S1r0Q9p8O7n6M5l4K3j2I';
const githubAppToken = 'ghs_' + 'Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8';
const githubFineGrained = 'github_pat_' + '11ABCDEFG0' + 'a1b2c3d4e5f6g7h8i9j0_' + 'K'.repeat(20) + '123456789';
const slackBotToken = 'xoxb-' + '123456789012-1234567890123-' + 'AbCdEfGhIjKlMnOpQrStUvWx';
const slackUserToken = 'xoxp-' + '210987654321-3210987654321-4321098765432-' + 'f00dfeedc0ffee1234567890abcdef12';
const googleKey = 'AIza' + 'SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q';
const gitlabToken = 'glpat-' + 'Ab12Cd34Ef56Gh78Ij90';
const jwt = 'eyJhbGciOiJIUzI1NiJ9' + '.eyJzdWIiOiIxMjM0NTY3ODkwIn0' + '.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const pemBody = 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\nVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n';
const rsaKey = '-----BEGIN RSA PRIVATE KEY-----\n' + pemBody + '-----END RSA PRIVATE KEY-----';
const pkcs8Key = '-----BEGIN PRIVATE KEY-----\n' + pemBody + '-----END PRIVATE KEY-----';
const encryptedKey =
  '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,3F17F5316E2BAC89\n\n' + pemBody + '-----END RSA PRIVATE KEY-----';

test('email addresses are found in their common shapes', () => {
  assertFound('email', ['jane.doe@example.com', 'first+tag@sub.example.co.uk', 'a_b-c@my-domain.io', 'UPPER.Case@Example.ORG']);
  assertFound('email', ['mailbox@example.com'], (value) => `<mailto:${value}>`);
});

test('phone numbers are found in international, North American and European formats', () => {
  assertFound('phone', [
    '+1 (415) 555-2671',
    '+1-415-555-2671',
    '+44 20 7946 0958',
    '+44 (0)20 7946 0958',
    '+49 30 12345678',
    '+33 1 23 45 67 89',
    '+91 98765 43210',
    '+14155552671',
    '(415) 555-2671',
    '415-555-2671',
    '415.555.2671',
    '415 555 2671',
    '1-800-555-0199',
    '020 7946 0958',
    '06 12 34 56 78',
    '030-12345678',
  ]);
});

test('payment card numbers are found when the Luhn check passes', () => {
  assertFound('payment-card', [
    '4111 1111 1111 1111',
    '4111-1111-1111-1111',
    '4111111111111111',
    '5555 5555 5555 4444',
    '378282246310005',
    '3782 822463 10005',
    '6011111111111117',
    '4222222222222',
    '2223 0031 2200 3222',
  ]);
});

test('IBANs are found compact or grouped when the mod-97 check passes', () => {
  assertFound('iban', [
    'DE89 3704 0044 0532 0130 00',
    'DE89370400440532013000',
    'GB82 WEST 1234 5698 7654 32',
    'GB82WEST12345698765432',
    'FR14 2004 1010 0505 0001 3M02 606',
    'NL91ABNA0417164300',
    'NO9386011117947',
  ]);
});

test('US social security numbers are found when area, group and serial are possible', () => {
  assertFound('us-ssn', ['123-45-6789', '536-22-1234', '078-05-1120', '899-99-9999']);
});

test('IPv4 and IPv6 addresses are found, full and compressed', () => {
  assertFound('ip-address', [
    '192.168.1.10',
    '8.8.8.8',
    '255.255.255.255',
    '0.0.0.0',
    '2001:0db8:85a3:0000:0000:8a2e:0370:7334',
    '2001:db8::8a2e:370:7334',
    'fe80::1ff:fe23:4567:890a',
    '2001:db8::',
    '::ffff:192.0.2.128',
    '64:ff9b::192.0.2.33',
  ]);
  assert.deepEqual(found('connect to 10.0.0.1:8080 now'), ['ip-address: 10.0.0.1']);
  assert.deepEqual(found('route 10.1.0.0/16 via [2001:db8::1]:443'), ['ip-address: 10.1.0.0', 'ip-address: 2001:db8::1']);
});

test('API keys, tokens and private keys are found as secrets', () => {
  assertFound('secret', [
    openAiKey,
    legacyOpenAiKey,
    anthropicKey,
    awsKeyId,
    awsTemporaryKeyId,
    githubToken,
    githubOauthToken,
    githubAppToken,
    githubFineGrained,
    slackBotToken,
    slackUserToken,
    googleKey,
    gitlabToken,
    jwt,
    rsaKey,
    pkcs8Key,
    encryptedKey,
  ]);
  assertFound('secret', ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----']);
});

test('a bearer token is found without the word before it', () => {
  assert.deepEqual(found('Authorization: Bearer abcdef0123456789ABCDEFghij'), ['secret: abcdef0123456789ABCDEFghij']);
  assert.deepEqual(found(`curl -H "Authorization: Bearer ${jwt}"`), [`secret: ${jwt}`]);
});

test('a truncated private key is found up to where its base64 stops', () => {
  const text = 'key: -----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIIrYSSNQFaA2Hwf1duRSxKtLYX5CB04fSeQ6tF1aY/PuoAoGCCqG\nwhy does it fail?';
  assert.deepEqual(found(text), [
    'secret: -----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIIrYSSNQFaA2Hwf1duRSxKtLYX5CB04fSeQ6tF1aY/PuoAoGCCqG\nwhy',
  ]);
});

test('numbers that fail their checks are not flagged', () => {
  assertClean([
    'card 4111 1111 1111 1112 declined',
    'card 4111111111111112 declined',
    'IBAN DE88 3704 0044 0532 0130 00 bounced',
    'IBAN DE88370400440532013000 bounced',
    'SSN 000-12-3456',
    'SSN 666-12-3456',
    'SSN 912-34-5678',
    'SSN 123-00-4567',
    'SSN 123-45-0000',
    'SSN 012-00-4567',
  ]);
});

test('versions, dates, prices and identifiers are not flagged', () => {
  assertClean([
    'upgrade to 1.2.3.4.5 today',
    'host 10.0.0.256 is invalid',
    'address 999.1.1.1',
    'released 2024-01-15 at 10:30:45',
    'on 15.01.2024 10:30 and 05/06/2024',
    'total $1,299.99, or €1.234.567,89, or 1 234 567,00 kr',
    'ISBN 978-3-16-148410-0 and 0-306-40615-2 and 9780306406157',
    'id 550e8400-e29b-41d4-a716-446655440000 and 12345678-1234-1234-1234-123456789012',
    'UUID 550E8400-E29B-41D4-A716-446655440000',
    'order 12345678, ticket #4815162342, code 555-1234, year 1999 2000 2001',
    'timestamp 1705312345678 and epoch 1705312345',
    'the MAC is 00:1A:2B:3C:4D:5E',
    'use std::vector and a :: b in Haskell',
    'pip install scikit-learn, import sk-learn, sk-learn-is-a-great-library-for-2024',
    'Bearer token-based-authentication-flow and Bearer YOUR_ACCESS_TOKEN_HERE',
    'ASIAPACIFICMARKETS and ghp_short and AKIA1234',
    'sprite logo@2x.png and user@localhost and @mention and npm i react@18.2.0',
  ]);
});

test('findings are sorted and never overlap when kinds sit side by side', () => {
  const text = `jane@example.com,+44 20 7946 0958;4111111111111111 ${awsKeyId} 10.0.0.1 123-45-6789`;
  assert.deepEqual(found(text), [
    'email: jane@example.com',
    'phone: +44 20 7946 0958',
    'payment-card: 4111111111111111',
    `secret: ${awsKeyId}`,
    'ip-address: 10.0.0.1',
    'us-ssn: 123-45-6789',
  ]);
  const findings = detectPii(text);
  for (let index = 1; index < findings.length; index += 1) {
    assert.ok(findings[index - 1]!.end <= findings[index]!.start);
  }
});

test('the more specific kind wins where two would overlap', () => {
  assert.deepEqual(found('phone 4155552671@txt.example.com'), ['email: 4155552671@txt.example.com']);
  assert.deepEqual(found('mapped ::ffff:192.0.2.128'), ['ip-address: ::ffff:192.0.2.128']);
});

test('a number is not stretched over the next one in prose', () => {
  assert.deepEqual(found('call +1 415 555 2671 2 times'), ['phone: +1 415 555 2671']);
  assert.deepEqual(found('card 4111 1111 1111 1111 1234 expires'), ['payment-card: 4111 1111 1111 1111']);
  assert.deepEqual(found('IBAN DE89 3704 0044 0532 0130 00 CASH'), ['iban: DE89 3704 0044 0532 0130 00']);
});

test('redaction replaces each finding with its placeholder', () => {
  const text =
    'Mail jane.doe@example.com or call +44 20 7946 0958. Card 4111 1111 1111 1111, IBAN GB82 WEST 1234 5698 7654 32, ' +
    `SSN 123-45-6789, host 192.168.1.10, key ${openAiKey}.`;
  const result = redactPii(text);
  assert.equal(
    result.text,
    'Mail [REDACTED_EMAIL] or call [REDACTED_PHONE]. Card [REDACTED_PAYMENT_CARD], IBAN [REDACTED_IBAN], ' +
      'SSN [REDACTED_US_SSN], host [REDACTED_IP_ADDRESS], key [REDACTED_SECRET].',
  );
  assert.deepEqual(
    result.findings.map((finding) => finding.kind),
    ['email', 'phone', 'payment-card', 'iban', 'us-ssn', 'ip-address', 'secret'],
  );
  assert.deepEqual(result.findings[0], { kind: 'email', start: 5, end: 25 });
});

test('redaction of a private key and a bearer header keeps the surrounding text', () => {
  assert.equal(redactPii(`Here:\n${rsaKey}\nThanks`).text, 'Here:\n[REDACTED_SECRET]\nThanks');
  assert.equal(redactPii(`Authorization: Bearer ${jwt}`).text, 'Authorization: Bearer [REDACTED_SECRET]');
});

test('text without findings comes back as it was', () => {
  const text = 'Summarise the meeting notes from 2024-01-15 in three bullet points.';
  assert.deepEqual(redactPii(text), { text, findings: [] });
  assert.deepEqual(redactPii(''), { text: '', findings: [] });
});

test('a 100 KB prompt is scanned completely', () => {
  const paragraph =
    'Please review the attached report before Friday; contact jane.doe@example.com or +1 (415) 555-2671 ' +
    'about invoice 2024-01-15 for $1,299.99 and release 1.2.3.4.5 on host 10.0.0.12. ';
  const repeats = Math.ceil(100_000 / paragraph.length);
  const text = paragraph.repeat(repeats);
  assert.ok(text.length >= 100_000);
  const result = redactPii(text);
  assert.equal(result.findings.length, repeats * 3);
  assert.equal(result.text.includes('@example.com'), false);
  assert.equal(result.text.split('[REDACTED_PHONE]').length - 1, repeats);
  assert.equal(result.text.split('[REDACTED_IP_ADDRESS]').length - 1, repeats);
  assert.equal(result.text.split('1.2.3.4.5').length - 1, repeats);
});

test('long inputs built to make patterns backtrack are scanned to the end', () => {
  const tail = ' reach jane@example.com';
  const inputs = [
    'a'.repeat(100_000),
    'a.'.repeat(50_000) + '@',
    'x@' + 'a-'.repeat(50_000),
    '1234 '.repeat(20_000),
    '+1 '.repeat(30_000),
    'ab:cd:'.repeat(15_000),
    'DE89 3704 '.repeat(10_000),
    '4111 1111 '.repeat(10_000),
    'Bearer ' + 'a-'.repeat(50_000),
    'sk-' + 'ab-'.repeat(30_000),
  ];
  for (const input of inputs) {
    const text = input + tail;
    assert.deepEqual(found(text), ['email: jane@example.com'], input.slice(0, 12));
  }
  const keyHeader = '-----BEGIN PRIVATE KEY-----';
  assert.deepEqual(found(keyHeader + 'A b:'.repeat(25_000)), [`secret: ${keyHeader}A`]);
});
