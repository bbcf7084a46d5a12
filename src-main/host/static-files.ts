import fs from 'node:fs/promises';
import path from 'node:path';
import { isWithin } from '../engine/root/confine';

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

/**
 * Reads a file of the built renderer for a URL path, or null when there is none.
 *
 * Written here rather than taken from @hono/node-server's serveStatic, which only serves
 * folders relative to the working directory; `tend serve` runs from anywhere.
 */
export async function readStaticFile(
  rendererDir: string,
  urlPath: string,
): Promise<{ body: Buffer; contentType: string } | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const file = path.resolve(rendererDir, relative);
  if (!isWithin(rendererDir, file) || relative.includes('\0')) return null;
  try {
    const body = await fs.readFile(file);
    const contentType = contentTypes[path.extname(file)] ?? 'application/octet-stream';
    return { body, contentType };
  } catch {
    return null;
  }
}
