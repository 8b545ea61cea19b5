import { GatewayError } from '../core/errors.js';

export interface JsonShapeLimits {
  maxJsonDepth: number;
  maxJsonArrayLength: number;
}

const quote = 0x22;
const backslash = 0x5c;
const openBracket = 0x5b;
const closeBracket = 0x5d;
const openBrace = 0x7b;
const closeBrace = 0x7d;
const comma = 0x2c;

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

/**
 * Refuses JSON text nested deeper than `maxJsonDepth` or with an array longer than `maxJsonArrayLength`, before it
 * is parsed: parsing a body of ten million brackets alone takes seconds, and deep values overflow the stack of any
 * code that walks them. One pass over the structure, skipping strings with `indexOf`; malformed text is left for
 * the parser to report.
 */
export function checkJsonShape(text: string, limits: JsonShapeLimits): void {
  const { maxJsonDepth, maxJsonArrayLength } = limits;
  const commas = new Int32Array(maxJsonDepth + 2);
  const inArray = new Uint8Array(maxJsonDepth + 2);
  let depth = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === quote) {
      const end = stringEnd(text, index);
      if (end === -1) return;
      index = end;
    } else if (code === openBracket || code === openBrace) {
      depth++;
      if (depth > maxJsonDepth) throw new GatewayError('invalid_request', `The JSON body is nested deeper than ${maxJsonDepth} levels (server.maxJsonDepth).`);
      commas[depth] = 0;
      inArray[depth] = code === openBracket ? 1 : 0;
    } else if (code === closeBracket || code === closeBrace) {
      if (depth === 0) return;
      depth--;
    } else if (code === comma && inArray[depth] === 1) {
      const count = ++(commas[depth] as number);
      if (count >= maxJsonArrayLength) throw new GatewayError('invalid_request', `The JSON body has an array of more than ${maxJsonArrayLength} elements (server.maxJsonArrayLength).`);
    }
  }
}
