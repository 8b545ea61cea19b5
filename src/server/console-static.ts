import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GatewayError } from '../core/errors.js';

/** The built console (web/dist), beside the compiled gateway (dist/src/server) or its sources (src/server). */
const defaultRoot = fileURLToPath(new URL(import.meta.url.includes('/dist/src/') ? '../../../web/dist/' : '../../web/dist/', import.meta.url));

/** First path segments of the console's own pages: a reload on one of them gets the app, which then routes. */
export const consolePages = ['overview', 'requests', 'money', 'keys', 'providers', 'quality', 'playground', 'sign-in'] as const;

/**
 * Everything the console loads comes from the gateway itself: scripts and styles as files (no inline code, no
 * eval), images from files or data: URLs (chart exports), fetches to the same origin, no frames, no plugins.
 */
export const consoleCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Whether a GET path belongs to the console: the root, its hashed assets, or one of its pages. */
export function isConsolePath(path: string): boolean {
  if (path === '/' || path === '/index.html' || path === '/favicon.svg' || path.startsWith('/assets/')) return true;
  const first = path.split('/')[1] ?? '';
  return (consolePages as readonly string[]).includes(first);
}

function securityHeaders(): Record<string, string> {
  return {
    'content-security-policy': consoleCsp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
  };
}

export interface ConsoleFiles {
  serve(request: IncomingMessage, response: ServerResponse, path: string): Promise<void>;
}

/**
 * Serves the built console. Files under /assets/ carry a content hash in their names, so they are cached for a
 * year as immutable; index.html (for the root and every page) is revalidated on each load, so a new build is
 * picked up at once. Files are read once and kept in memory: the whole build is a few hundred KiB.
 */
export function consoleFiles(root = defaultRoot): ConsoleFiles {
  const cache = new Map<string, Promise<Buffer | undefined>>();
  const load = (relative: string): Promise<Buffer | undefined> => {
    let found = cache.get(relative);
    if (!found) {
      found = readFile(join(root, relative)).catch(() => undefined);
      // A missing file is not remembered, so a build made while the gateway runs is served once it exists.
      void found.then((buffer) => buffer === undefined && cache.delete(relative));
      cache.set(relative, found);
    }
    return found;
  };
  return {
    async serve(request, response, path) {
      const asset = path.startsWith('/assets/') || path === '/favicon.svg';
      let relative = 'index.html';
      if (asset) {
        relative = normalize(decodeURIComponent(path).slice(1));
        if (relative.startsWith('..') || relative.includes(`${sep}..`) || relative.includes('\0')) throw new GatewayError('not_found', `No console file ${path}.`);
      }
      const body = await load(relative);
      if (!body) {
        if (!asset) throw new GatewayError('not_found', 'The console is not built: run `npm run build` (it builds web/ too).');
        throw new GatewayError('not_found', `No console file ${path}.`);
      }
      const headers: Record<string, string> = {
        ...securityHeaders(),
        'content-type': contentTypes[extname(relative)] ?? 'application/octet-stream',
        'content-length': String(body.length),
        'cache-control': path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      };
      response.writeHead(200, headers);
      response.end(request.method === 'HEAD' ? undefined : body);
    },
  };
}
