import { promisify } from 'node:util';
import { gunzipSync, gzip, gzipSync, type ZlibOptions } from 'node:zlib';

const gzipAsync = promisify(gzip);

/**
 * Most captured bodies are a few hundred bytes, and deflate's default 32 KB window costs ~256 KB of state per call:
 * a window just larger than the body compresses the same and allocates far less. Inflate reads any window size.
 */
function optionsFor(length: number): ZlibOptions {
  const windowBits = Math.min(15, Math.max(9, Math.ceil(Math.log2(length + 1)) + 1));
  return { windowBits, memLevel: Math.min(8, Math.max(2, windowBits - 7)) };
}

/** A captured body's JSON as stored: gzip. */
export function compressBody(json: string): Buffer {
  const data = Buffer.from(json, 'utf8');
  return gzipSync(data, optionsFor(data.length));
}

export function compressBodyAsync(json: string): Promise<Buffer> {
  const data = Buffer.from(json, 'utf8');
  return gzipAsync(data, optionsFor(data.length));
}

export function decompressBody(data: Buffer): string {
  return gunzipSync(data).toString('utf8');
}
