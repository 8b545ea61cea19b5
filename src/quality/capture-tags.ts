import { GatewayError } from '../core/errors.js';

export const tagsHeader = 'x-switchyard-tags';

/** Bounds on request tags, so one header cannot bloat every ledger row. */
export const tagLimits = { count: 16, nameLength: 64, valueLength: 128 } as const;

const namePattern = /^[A-Za-z0-9_.:-]+$/;
const valuePattern = /^[A-Za-z0-9_.:/@+-]+$/;

function refuse(message: string): GatewayError {
  return new GatewayError('invalid_request', `${tagsHeader}: ${message} Expected k=v pairs separated by commas, e.g. "team=support,flow=refund".`, { param: tagsHeader });
}

/** Parses `x-switchyard-tags: k=v,k2=v2`; undefined when absent or empty. */
export function parseRequestTags(header: string | string[] | undefined): Record<string, string> | undefined {
  if (header === undefined) return undefined;
  const text = Array.isArray(header) ? header.join(',') : header;
  if (text.trim() === '') return undefined;
  const tags: Record<string, string> = {};
  const pairs = text.split(',');
  if (pairs.length > tagLimits.count) throw refuse(`at most ${tagLimits.count} tags, got ${pairs.length}.`);
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals === -1) throw refuse(`"${pair.trim().slice(0, 80)}" has no "=".`);
    const name = pair.slice(0, equals).trim();
    const value = pair.slice(equals + 1).trim();
    if (!namePattern.test(name) || name.length > tagLimits.nameLength) throw refuse(`tag name "${name.slice(0, 80)}" must be 1..${tagLimits.nameLength} of letters, digits, _ . : -.`);
    if (!valuePattern.test(value) || value.length > tagLimits.valueLength) throw refuse(`value of "${name}" must be 1..${tagLimits.valueLength} of letters, digits, _ . : / @ + -.`);
    if (Object.hasOwn(tags, name)) throw refuse(`tag "${name}" appears twice.`);
    tags[name] = value;
  }
  return tags;
}
