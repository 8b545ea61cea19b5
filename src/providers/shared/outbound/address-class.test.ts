import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyAddress, isMetadataName } from './address-class.js';

test('instance metadata addresses of the clouds are classed as metadata, in every spelling', () => {
  for (const address of ['169.254.169.254', '169.254.170.2', 'fd00:ec2::254', '100.100.100.200', '::ffff:169.254.169.254', '::ffff:a9fe:a9fe', '64:ff9b::a9fe:a9fe']) {
    assert.equal(classifyAddress(address), 'metadata', address);
  }
});

test('link-local, unroutable, private and public addresses are told apart', () => {
  const expected: Record<string, string> = {
    '169.254.1.1': 'link-local',
    'fe80::1': 'link-local',
    '0.0.0.0': 'unroutable',
    '::': 'unroutable',
    '224.0.0.1': 'unroutable',
    '255.255.255.255': 'unroutable',
    '127.0.0.1': 'private',
    '::1': 'private',
    '10.2.3.4': 'private',
    '172.16.0.1': 'private',
    '172.31.255.255': 'private',
    '192.168.1.10': 'private',
    '100.64.0.1': 'private',
    'fd12:3456::1': 'private',
    '::ffff:10.0.0.1': 'private',
    '172.32.0.1': 'public',
    '8.8.8.8': 'public',
    '2606:4700::1111': 'public',
    '::ffff:8.8.8.8': 'public',
  };
  for (const [address, kind] of Object.entries(expected)) assert.equal(classifyAddress(address), kind, address);
});

test('metadata host names are recognised whatever their case or trailing dot', () => {
  assert.equal(isMetadataName('metadata.google.internal'), true);
  assert.equal(isMetadataName('Metadata.Google.Internal.'), true);
  assert.equal(isMetadataName('metadata.example.com'), false);
});
