import { promises as fs } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The same policy the Electron window gets, plus the bridge's own WebSocket origin. */
export function hostCsp(port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * Serve the built renderer read-only. Only GET/HEAD, only files inside `root` (no traversal, no symlink
 * escape), no directory listings; unknown paths fall back to index.html so a reload on any page works.
 */
export async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse, csp: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  let urlPath: string;
  try {
    urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
  } catch {
    // A malformed escape (%zz) or URL is the client's mistake: 400, and nothing about our code in the answer.
    res.writeHead(400, { 'Content-Type': 'text/plain' }).end('bad request: malformed URL\n');
    return;
  }
  const base = await fs.realpath(root);
  let file = path.resolve(base, '.' + urlPath);
  if (file !== base && !file.startsWith(base + path.sep)) {
    res.writeHead(403).end();
    return;
  }
  let stat = await fs.stat(file).catch(() => undefined);
  if (!stat || stat.isDirectory()) {
    file = path.join(base, 'index.html');
    stat = await fs.stat(file).catch(() => undefined);
  }
  const real = stat ? await fs.realpath(file) : undefined;
  if (!stat || !real || !real.startsWith(base + path.sep)) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('renderer not built: run `npm run build`\n');
    return;
  }
  const body = await fs.readFile(real);
  res.writeHead(200, {
    'Content-Type': contentTypes[path.extname(real)] ?? 'application/octet-stream',
    'Content-Length': body.length,
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
