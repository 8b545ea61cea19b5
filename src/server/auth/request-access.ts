import type { IncomingMessage } from 'node:http';
import type { BlockList } from 'node:net';
import { inNetworks, networkList } from '../../core/cidr.js';
import { GatewayError } from '../../core/errors.js';
import type { KeyRecord } from '../../store/store.js';
import type { Gateway } from '../gateway.js';
import { presentedKey } from '../http-body.js';
import { clientAddress } from './client-address.js';
import { FailedAuthThrottle } from './failed-auth-throttle.js';
import type { KeyService, Principal } from './key-service.js';

interface AccessState {
  throttle: FailedAuthThrottle;
  trustedProxies: BlockList | undefined;
}

/**
 * Keyed by the key service, which a config reload carries over to the rebuilt gateway (the `access` section needs a
 * restart), so failed-authentication counts survive a reload.
 */
const states = new WeakMap<KeyService, AccessState>();
/** Per key record: its networks, and the answers for addresses seen lately (a bounded memo: a check costs ~1.5 µs). */
const keyNetworks = new WeakMap<KeyRecord, { list: BlockList; seen: Map<string, boolean> }>();
const maxSeenPerKey = 1024;

function stateOf(gateway: Gateway): AccessState {
  let state = states.get(gateway.keys);
  if (!state) {
    const access = gateway.config.access;
    state = { throttle: new FailedAuthThrottle(access.failedAuth), trustedProxies: access.trustedProxies.length > 0 ? networkList(access.trustedProxies) : undefined };
    states.set(gateway.keys, state);
  }
  return state;
}

/** The failed-authentication throttle of a gateway, for its counters. */
export function failedAuthThrottleOf(gateway: Gateway): FailedAuthThrottle {
  return stateOf(gateway).throttle;
}

function allowedFrom(key: KeyRecord, address: string): boolean {
  if (!key.allowedCidrs || key.allowedCidrs.length === 0) return true;
  let networks = keyNetworks.get(key);
  if (!networks) keyNetworks.set(key, (networks = { list: networkList(key.allowedCidrs), seen: new Map() }));
  let allowed = networks.seen.get(address);
  if (allowed === undefined) {
    allowed = inNetworks(networks.list, address);
    if (networks.seen.size >= maxSeenPerKey) networks.seen.clear();
    networks.seen.set(address, allowed);
  }
  return allowed;
}

/**
 * Authenticates a request: its key, the key's allowed networks, and the failed-authentication throttle of its client
 * address. An address over its allowance gets 429 for every key but one that authenticated recently, so guessing is
 * slowed while clients in use behind the same address are not.
 */
export async function authenticateRequest(gateway: Gateway, request: IncomingMessage, now = Date.now()): Promise<{ principal: Principal; address: string }> {
  const state = stateOf(gateway);
  const address = clientAddress(request, state.trustedProxies);
  const key = presentedKey(request);
  const waitMs = state.throttle.waitMs(address, now);
  if (waitMs > 0 && key && !gateway.keys.recentlyValid(key, now)) {
    throw new GatewayError('rate_limited', `Too many failed authentications from this address; retry in ${Math.ceil(waitMs / 1000)} s.`, { retryAfterMs: waitMs });
  }
  let principal: Principal;
  try {
    principal = await gateway.keys.authenticate(key, now);
  } catch (error) {
    if (key && error instanceof GatewayError && error.code === 'authentication_failed') state.throttle.recordFailure(address, now);
    throw error;
  }
  if (principal.key && !allowedFrom(principal.key, address)) {
    state.throttle.recordFailure(address, now);
    throw new GatewayError('permission_denied', `This key may not be used from ${address}; it is bound to other client networks.`);
  }
  return { principal, address };
}
