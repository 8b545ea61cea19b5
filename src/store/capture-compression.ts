import { promisify } from 'node:util';
import { gunzipSync, gzip, gzipSync, type ZlibOptions } from 'node:zlib';

const gzipAsync = promisify(gzip);

/**
 * Bodies smaller than this are stored as their UTF-8 JSON: gzip saves a few dozen bytes on them and costs 50–100 µs
 * a call (mostly setting up the deflate state), a sizeable share of a whole request's cost at full load.
 */
export const compressFromBytes = 1024;

/**
 * Deflate's default 32 KB window costs ~256 KB of state per call: a window just larger than the body compresses the
 * same and allocates far less. Inflate reads any window size.
 */
function optionsFor(length: number): ZlibOptions {
  const windowBits = Math.min(15, Math.max(9, Math.ceil(Math.log2(length + 1)) + 1));
  return { windowBits, memLevel: Math.min(8, Math.max(2, windowBits - 7)) };
}

/** A captured body's JSON as stored: gzip, or the JSON itself when small. */
export function compressBody(json: string): Buffer {
  const data = Buffer.from(json, 'utf8');
  return data.length < compressFromBytes ? data : gzipSync(data, optionsFor(data.length));
}

export async function compressBodyAsync(json: string): Promise<Buffer> {
  const data = Buffer.from(json, 'utf8');
  return data.length < compressFromBytes ? data : gzipAsync(data, optionsFor(data.length));
}

/** Stored JSON starts with `{`; gzip with its magic bytes 1f 8b. */
export function decompressBody(data: Buffer): string {
  const gzipped = data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
  return (gzipped ? gunzipSync(data) : data).toString('utf8');
}
