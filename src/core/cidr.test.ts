import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cidrProblem, inNetworks, networkList, normalizeAddress } from './cidr.js';

test('CIDR texts are checked with a reason', () => {
  assert.equal(cidrProblem('10.0.0.0/8'), undefined);
  assert.equal(cidrProblem('::1/128'), undefined);
  assert.equal(cidrProblem('2001:db8::/32'), undefined);
  assert.equal(cidrProblem('192.0.2.7'), undefined);
  assert.match(cidrProblem('10.0.0.0/33') ?? '', /0 to 32/);
  assert.match(cidrProblem('::/129') ?? '', /0 to 128/);
  assert.match(cidrProblem('10.0.0/8') ?? '', /not an IPv4 or IPv6 network/);
  assert.match(cidrProblem('10.0.0.0/8/1') ?? '', /not an IPv4 or IPv6 network/);
  assert.match(cidrProblem('10.0.0.0/x') ?? '', /whole number/);
});

test('addresses are matched against IPv4 and IPv6 networks, IPv4-mapped IPv6 included', () => {
  const list = networkList(['10.0.0.0/8', '::1/128', '2001:db8::/32', '192.0.2.7']);
  assert.equal(inNetworks(list, '10.200.1.1'), true);
  assert.equal(inNetworks(list, '11.0.0.1'), false);
  assert.equal(inNetworks(list, '::1'), true);
  assert.equal(inNetworks(list, '::2'), false);
  assert.equal(inNetworks(list, '2001:db8:ffff::1'), true);
  assert.equal(inNetworks(list, '192.0.2.7'), true);
  assert.equal(inNetworks(list, '192.0.2.8'), false);
  assert.equal(inNetworks(list, normalizeAddress('::ffff:10.1.2.3')), true);
  assert.equal(inNetworks(list, 'not an address'), false);
});

test('one client has one spelling', () => {
  assert.equal(normalizeAddress('::FFFF:127.0.0.1'), '127.0.0.1');
  assert.equal(normalizeAddress('fe80::1%eth0'), 'fe80::1');
  assert.equal(normalizeAddress('2001:DB8::1'), '2001:db8::1');
});
