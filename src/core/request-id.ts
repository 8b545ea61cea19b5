import { randomFillSync } from 'node:crypto';

/**
 * Request ids are UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter that keeps ids
 * made in the same millisecond in order, then 62 random bits. Because they sort by time, ledger rows are appended
 * to the end of their indexes instead of landing on random pages, which is most of the cost of writing them.
 */
const pool = Buffer.alloc(8 * 512);
let poolOffset = pool.length;
let lastMs = 0;
let counter = 0;

const hex: string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

function randomBytes8(): number {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const offset = poolOffset;
  poolOffset += 8;
  return offset;
}

export function newRequestId(nowMs: number = Date.now()): string {
  if (nowMs > lastMs) {
    lastMs = nowMs;
    counter = 0;
  } else {
    // The clock stood still or stepped back: keep counting on the last millisecond so ids stay in order.
    counter += 1;
    if (counter > 0xfff) {
      lastMs += 1;
      counter = 0;
    }
  }
  const time = lastMs.toString(16).padStart(12, '0');
  const at = randomBytes8();
  // The variant bits (10) go in front of the random part.
  const variant = `${hex[((pool[at] as number) & 0x3f) | 0x80]}${hex[pool[at + 1] as number]}`;
  let node = '';
  for (let index = at + 2; index < at + 8; index += 1) node += hex[pool[index] as number] as string;
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${counter.toString(16).padStart(3, '0')}-${variant}-${node}`;
}

/** The millisecond timestamp a request id carries. */
export function requestIdTime(id: string): number {
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
