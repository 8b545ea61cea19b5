/**
 * The precompiled patterns behind `detectPii`, in priority order: when two matches overlap, the
 * one from the earlier pattern wins. Every pattern is global and is only ever run through
 * `exec` with its `lastIndex` reset, so no RegExp is built per call. Quantifiers are bounded or
 * over disjoint alternatives so no input makes a pattern backtrack more than linearly.
 */
import type { PiiKind } from './pii-detector.js';
import {
  countDigits,
  countNonSpaces,
  looksGenerated,
  passesIbanChecksum,
  passesLuhn,
} from './pii-checks.js';

export interface PiiPattern {
  kind: PiiKind;
  regex: RegExp;
  /** How many leading characters of the match to report, or 0 to drop it. Absent: the whole match. */
  accept?: (match: string) => number;
  /**
   * Whether a match `accept` drops still holds its span against later patterns: digits shaped
   * like an IBAN, a card or an SSN that fail the check are a typo or an identifier, not a phone.
   */
  holdsRejected?: boolean;
}

function keepIf(predicate: (match: string) => boolean): (match: string) => number {
  return (match) => (predicate(match) ? match.length : 0);
}

function lastSeparatorBefore(match: string, end: number, separators: string): number {
  for (let index = end - 1; index > 0; index -= 1) {
    if (separators.includes(match.charAt(index))) return index;
  }
  return 0;
}

const MIN_PHONE_DIGITS = 9;
const MAX_PHONE_DIGITS = 15;

function acceptPhone(match: string): number {
  let end = match.length;
  let digits = countDigits(match);
  // A lone digit after a complete number ("… 4567 2 times") is prose, not the number's last group.
  if (end > 2 && ' .-'.includes(match.charAt(end - 2)) && digits - 1 >= MIN_PHONE_DIGITS) {
    end -= 2;
    digits -= 1;
  }
  return digits >= MIN_PHONE_DIGITS && digits <= MAX_PHONE_DIGITS ? end : 0;
}

// ISO/IEC 7812 major industry identifiers that card networks issue under (2-6 and 8); this skips
// ISBN-13s (978/979), millisecond timestamps (1…) and similar long identifiers.
const CARD_FIRST_DIGITS = '234568';

function acceptPaymentCard(match: string): number {
  if (!CARD_FIRST_DIGITS.includes(match.charAt(0))) return 0;
  let end = match.length;
  while (end > 0) {
    const digits = countDigits(match, end);
    if (digits < 13) return 0;
    if (digits <= 19 && passesLuhn(match, end)) return end;
    end = lastSeparatorBefore(match, end, ' -');
  }
  return 0;
}

function acceptIban(match: string): number {
  let end = match.length;
  while (end > 0) {
    const length = countNonSpaces(match, end);
    if (length < 15) return 0;
    if (length <= 34 && passesIbanChecksum(match, end)) return end;
    end = lastSeparatorBefore(match, end, ' ');
  }
  return 0;
}

// Area 000, 666 and 900-999, group 00 and serial 0000 are never issued.
const IMPOSSIBLE_SSN = /^(?:000|666|9\d\d)|^\d{3}-00|0000$/;

function acceptSsn(match: string): number {
  return IMPOSSIBLE_SSN.test(match) ? 0 : match.length;
}

// Image names such as `logo@2x.png` have the shape of an address.
const FILE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'bmp', 'ico', 'avif']);

function acceptEmail(match: string): number {
  const tld = match.slice(match.lastIndexOf('.') + 1).toLowerCase();
  return FILE_EXTENSIONS.has(tld) ? 0 : match.length;
}

function countIpv6Groups(match: string): number {
  let groups = 0;
  let inGroup = false;
  for (let index = 0; index < match.length; index += 1) {
    const separator = match.charAt(index) === ':';
    if (!separator && !inGroup) groups += 1;
    inGroup = !separator;
  }
  return groups;
}

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = `(?:${OCTET}\\.){3}${OCTET}`;
const HEX = '[0-9A-Fa-f]{1,4}';
const IPV6_FORMS = [
  `(?:${HEX}:){6}${IPV4}`,
  `(?:${HEX}:){1,5}:${IPV4}`,
  `::(?:[Ff]{4}(?::0{1,4})?:)?${IPV4}`,
  `(?:${HEX}:){7}${HEX}`,
  `(?:${HEX}:){1,7}:`,
  `(?:${HEX}:){1,6}:${HEX}`,
  `(?:${HEX}:){1,5}(?::${HEX}){1,2}`,
  `(?:${HEX}:){1,4}(?::${HEX}){1,3}`,
  `(?:${HEX}:){1,3}(?::${HEX}){1,4}`,
  `(?:${HEX}:){1,2}(?::${HEX}){1,5}`,
  `${HEX}:(?::${HEX}){1,6}`,
  `:(?::${HEX}){1,7}`,
];

const PRIVATE_KEY_LABEL = '(?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----';
// A complete block (headers such as `Proc-Type: 4,ENCRYPTED` allowed), or a truncated one up to
// where its base64 stops. Backslashes are allowed so a key pasted with escaped line breaks matches.
const PRIVATE_KEY = new RegExp(
  `-----BEGIN ${PRIVATE_KEY_LABEL}` +
    `(?:(?:[A-Za-z0-9+/=\\s:,.\\\\]|-(?!----))*-----END ${PRIVATE_KEY_LABEL}|[A-Za-z0-9+/=\\r\\n\\\\]*)`,
  'g',
);

const SECRET_PATTERNS: PiiPattern[] = [
  { kind: 'secret', regex: PRIVATE_KEY },
  { kind: 'secret', regex: /(?<![\w-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  // OpenAI (sk-, sk-proj-, sk-svcacct-) and Anthropic (sk-ant-api03-) keys share the prefix.
  { kind: 'secret', regex: /(?<![\w-])sk-[A-Za-z0-9_-]{20,}/g, accept: keepIf((match) => looksGenerated(match, 3, 10)) },
  { kind: 'secret', regex: /(?<![A-Za-z0-9])AKIA[A-Z0-9]{16}(?![A-Za-z0-9])/g },
  // Temporary (ASIA) key ids: a digit keeps upper-case words like ASIAPACIFICMARKETS out.
  { kind: 'secret', regex: /(?<![A-Za-z0-9])ASIA(?=[A-Z]{0,15}\d)[A-Z0-9]{16}(?![A-Za-z0-9])/g },
  { kind: 'secret', regex: /(?<![A-Za-z0-9_])gh[opsur]_[A-Za-z0-9]{36,255}(?![A-Za-z0-9_])/g },
  { kind: 'secret', regex: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,255}(?![A-Za-z0-9_])/g },
  { kind: 'secret', regex: /(?<![\w-])xox[abpors]-[A-Za-z0-9-]{15,}/g, accept: keepIf((match) => looksGenerated(match, 5, 8)) },
  { kind: 'secret', regex: /(?<![\w-])AIza[0-9A-Za-z_-]{35}(?![\w-])/g },
  { kind: 'secret', regex: /(?<![\w-])glpat-[A-Za-z0-9_-]{20,}/g, accept: keepIf((match) => looksGenerated(match, 6, 8)) },
  {
    kind: 'secret',
    regex: /(?<=\b(?:[Bb]earer|BEARER)[ \t]+)[A-Za-z0-9._~+/-]{20,}=*/g,
    accept: keepIf((match) => looksGenerated(match, 0, 8)),
  },
];

export const PII_PATTERNS: readonly PiiPattern[] = [
  ...SECRET_PATTERNS,
  {
    kind: 'email',
    regex:
      /(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,24}(?![\w-])/g,
    accept: acceptEmail,
  },
  {
    kind: 'iban',
    regex: /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?)(?![A-Za-z0-9])/g,
    accept: acceptIban,
    holdsRejected: true,
  },
  {
    kind: 'payment-card',
    regex: /(?<![\w.,+-])(?:\d{13,19}|\d{4}([ -])\d{4,6}\1\d{4,5}(?:\1\d{1,4}){0,2})(?!\w|[.,-]\d)/g,
    accept: acceptPaymentCard,
    holdsRejected: true,
  },
  { kind: 'us-ssn', regex: /(?<![\w.-])\d{3}-\d{2}-\d{4}(?!\w|-\d)/g, accept: acceptSsn, holdsRejected: true },
  {
    kind: 'ip-address',
    // The leading lookahead skips, cheaply, the many words made of hex letters that have no colon.
    regex: new RegExp(`(?<![\\w:.])(?=[0-9A-Fa-f]{0,4}:)(?:${IPV6_FORMS.join('|')})(?![\\w:]|\\.\\d)`, 'g'),
    accept: keepIf((match) => countIpv6Groups(match) >= 2),
  },
  { kind: 'ip-address', regex: new RegExp(`(?<![\\w.])${IPV4}(?!\\w|\\.\\d)`, 'g') },
  {
    kind: 'phone',
    // +CC, then groups split by a space, dot or dash, an area code possibly in parentheses: +44 (0)20 7946 0958.
    regex: /(?<![\w+])\+[1-9]\d{0,5}(?:[ .-]?\(\d{1,4}\)[ .-]?\d{1,12}|[ .-]\d{1,12}){1,6}(?![\w@]|[.-]\d)|(?<![\w+])\+[1-9]\d{8,14}(?![\w@])/g,
    accept: acceptPhone,
  },
  {
    kind: 'phone',
    // North American numbers with separators: (415) 555-2671, 415.555.2671, 1-800-555-0199.
    regex: /(?<![\w.+\/#-])(?:1[ .-]?)?(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[ .-])\d{3}[ .-]\d{4}(?![\w@]|[.-]\d)/g,
    accept: acceptPhone,
  },
  {
    kind: 'phone',
    // European national numbers with a trunk 0 and one consistent separator: 020 7946 0958, 06 12 34 56 78.
    regex: /(?<![\w.+\/#-])0[1-9]\d{0,4}([ .-])\d{2,8}(?:\1\d{2,8}){0,4}(?![\w@]|[.-]\d)/g,
    accept: acceptPhone,
  },
];
