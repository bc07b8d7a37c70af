import { promises as fs } from 'node:fs';
import path from 'node:path';
import { APP_SECURITY_HEADERS } from '../security/csp';
import { APP_HOST, APP_SCHEME } from '../security/trusted-sender';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

/** The file an app:// URL names inside the built renderer, or null if it names anything else. */
export function resolveAppFile(url: string, rendererDir: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  const root = path.resolve(rendererDir);
  const rel = decodeURIComponent(u.pathname) === '/' ? '/index.html' : decodeURIComponent(u.pathname);
  const file = path.resolve(root, '.' + rel);
  return file.startsWith(root + path.sep) ? file : null;
}

/**
 * The handler behind app://keytalk/: serves dist/renderer read-only with the security headers. A custom
 * standard scheme gives the renderer a real origin (unlike file://, where every local file shares one),
 * which is what the IPC sender check keys on.
 */
export function createAppProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const file = resolveAppFile(request.url, rendererDir);
    if (!file) return new Response('forbidden', { status: 403 });
    try {
      const body = await fs.readFile(file);
      return new Response(body, {
        status: 200,
        headers: { ...APP_SECURITY_HEADERS, 'Content-Type': contentTypes[path.extname(file)] ?? 'application/octet-stream' },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  };
}
