/**
 * Checksums and counts used to confirm a pattern match before it is reported.
 * Each takes the match and an `end` so a caller can test a shorter prefix without slicing.
 */

const DIGIT_0 = 48;
const DIGIT_9 = 57;
const UPPER_A = 65;
const UPPER_Z = 90;

function isDigitCode(code: number): boolean {
  return code >= DIGIT_0 && code <= DIGIT_9;
}

export function countDigits(text: string, end: number = text.length): number {
  let digits = 0;
  for (let index = 0; index < end; index += 1) {
    if (isDigitCode(text.charCodeAt(index))) digits += 1;
  }
  return digits;
}

/** The Luhn check over the digits of `text[0, end)`, separators ignored. */
export function passesLuhn(text: string, end: number = text.length): boolean {
  let sum = 0;
  let doubled = false;
  for (let index = end - 1; index >= 0; index -= 1) {
    const code = text.charCodeAt(index);
    if (!isDigitCode(code)) continue;
    let value = code - DIGIT_0;
    if (doubled) {
      value *= 2;
      if (value > 9) value -= 9;
    }
    sum += value;
    doubled = !doubled;
  }
  return sum % 10 === 0;
}

function mod97Step(remainder: number, code: number): number {
  if (isDigitCode(code)) return (remainder * 10 + (code - DIGIT_0)) % 97;
  if (code >= UPPER_A && code <= UPPER_Z) return (remainder * 100 + (code - UPPER_A + 10)) % 97;
  return remainder;
}

/**
 * ISO 7064 MOD 97-10 as IBANs use it: the first four characters move to the end, letters count
 * as 10..35, and the number must leave remainder 1. Spaces are ignored. Expects `text` to start
 * with the four characters (country code and check digits) without spaces among them.
 */
export function passesIbanChecksum(text: string, end: number = text.length): boolean {
  let remainder = 0;
  for (let index = 4; index < end; index += 1) remainder = mod97Step(remainder, text.charCodeAt(index));
  for (let index = 0; index < 4; index += 1) remainder = mod97Step(remainder, text.charCodeAt(index));
  return remainder === 1;
}

/** Characters of `text[0, end)` other than spaces. */
export function countNonSpaces(text: string, end: number = text.length): number {
  let count = 0;
  for (let index = 0; index < end; index += 1) {
    if (text.charCodeAt(index) !== 32) count += 1;
  }
  return count;
}

/** Whether the part of `text` from `from` has a digit, a letter, and a run of `minimumRun` letters or digits. */
export function looksGenerated(text: string, from: number, minimumRun: number): boolean {
  let hasDigit = false;
  let hasLetter = false;
  let run = 0;
  let longestRun = 0;
  for (let index = from; index < text.length; index += 1) {
    const code = text.charCodeAt(index) | 0x20;
    const digit = isDigitCode(text.charCodeAt(index));
    const letter = code >= 97 && code <= 122;
    hasDigit ||= digit;
    hasLetter ||= letter;
    run = digit || letter ? run + 1 : 0;
    if (run > longestRun) longestRun = run;
  }
  return hasDigit && hasLetter && longestRun >= minimumRun;
}
