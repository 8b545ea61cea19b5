import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { networkList } from '../../core/cidr.js';
import { clientAddress } from './client-address.js';

function request(peer: string, forwardedFor?: string): IncomingMessage {
  return { socket: { remoteAddress: peer }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } } as unknown as IncomingMessage;
}

test('without trusted proxies the socket peer is the client, whatever X-Forwarded-For says', () => {
  assert.equal(clientAddress(request('::ffff:203.0.113.9', '10.0.0.1'), undefined), '203.0.113.9');
});

test('behind trusted proxies the rightmost untrusted hop of X-Forwarded-For is the client', () => {
  const proxies = networkList(['10.0.0.0/8']);
  assert.equal(clientAddress(request('10.0.0.2', '198.51.100.1, 203.0.113.5, 10.0.0.3'), proxies), '203.0.113.5', 'a hop the client wrote itself is not believed');
  assert.equal(clientAddress(request('10.0.0.2', '2001:db8::7'), proxies), '2001:db8::7');
  assert.equal(clientAddress(request('10.0.0.2'), proxies), '10.0.0.2', 'no header: the proxy itself');
  assert.equal(clientAddress(request('10.0.0.2', 'garbage, 10.0.0.4'), proxies), '10.0.0.4', 'only proxies: the first of them');
  assert.equal(clientAddress(request('203.0.113.9', '198.51.100.1'), proxies), '203.0.113.9', 'a peer that is no proxy is not believed');
});
