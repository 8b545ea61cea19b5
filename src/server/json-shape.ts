import { GatewayError } from '../core/errors.js';

export interface JsonShapeLimits {
  maxJsonDepth: number;
  maxJsonArrayLength: number;
}

const backslash = 0x5c;
const isString = 1;
const opensArray = 2;
const opensObject = 3;
const closes = 4;
const separates = 5;

/** What each ASCII character means to the scan; 0 for everything it skips. */
const kinds = new Uint8Array(128);
kinds[0x22] = isString;
kinds[0x5b] = opensArray;
kinds[0x7b] = opensObject;
kinds[0x5d] = closes;
kinds[0x7d] = closes;
kinds[0x2c] = separates;

/** Elements counted so far in the array open at each depth (-1 for an object); reused, as the scan is synchronous. */
let counts = new Int32Array(130);

/** Index of the quote that closes the string opened at `start` (a quote), or -1. */
function stringEnd(text: string, start: number): number {
  let at = text.indexOf('"', start + 1);
  while (at !== -1) {
    let escapes = 0;
    for (let back = at - 1; text.charCodeAt(back) === backslash; back--) escapes++;
    if (escapes % 2 === 0) return at;
    at = text.indexOf('"', at + 1);
  }
  return -1;
}

function tooDeep(limit: number): GatewayError {
  return new GatewayError('invalid_request', `The JSON body is nested deeper than ${limit} levels (server.maxJsonDepth).`);
}

function tooLong(limit: number): GatewayError {
  return new GatewayError('invalid_request', `The JSON body has an array of more than ${limit} elements (server.maxJsonArrayLength).`);
}

/**
 * Refuses JSON text nested deeper than `maxJsonDepth` or with an array longer than `maxJsonArrayLength`, before it
 * is parsed: parsing a body of ten million brackets alone takes seconds, and deep values overflow the stack of any
 * code that walks them. One pass over the structure, skipping strings with `indexOf`; malformed text is left for
 * the parser to report. A text too short to hold an array over the limit skips the counting of elements.
 */
export function checkJsonShape(text: string, limits: JsonShapeLimits): void {
  const { maxJsonDepth, maxJsonArrayLength } = limits;
  const countElements = text.length > 2 * maxJsonArrayLength;
  if (counts.length < maxJsonDepth + 2) counts = new Int32Array(maxJsonDepth + 2);
  let depth = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const kind = code < 128 ? (kinds[code] as number) : 0;
    if (kind === 0) continue;
    if (kind === isString) {
      const end = stringEnd(text, index);
      if (end === -1) return;
      index = end;
    } else if (kind === opensArray || kind === opensObject) {
      if (++depth > maxJsonDepth) throw tooDeep(maxJsonDepth);
      counts[depth] = kind === opensArray ? 0 : -1;
    } else if (kind === closes) {
      if (depth === 0) return;
      depth--;
    } else if (countElements && (counts[depth] as number) >= 0 && ++(counts[depth] as number) >= maxJsonArrayLength) {
      throw tooLong(maxJsonArrayLength);
    }
  }
}
