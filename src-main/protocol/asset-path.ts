import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME } from '../security/trusted-url';

/**
 * Maps a `fieldcrm://app/<path>` request to a file of the built renderer, refusing anything that
 * would resolve outside it (`..`, percent-encoded separators, NUL bytes). Pure apart from path
 * arithmetic, so the traversal table in tests/unit/src-main/protocol runs without Electron.
 */
export interface RendererAsset {
  readonly filePath: string;
  readonly mimeType: string;
}

// Chromium refuses module scripts served without a JavaScript MIME type, so the handler names the
// type itself instead of relying on sniffing.
const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeTypeOf(filePath: string): string {
  return MIME_TYPES[extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The decoded path, or null if decoding reveals something the URL parser could not normalise:
 * the parser already removed plain `..` segments, so a `..` segment, a backslash or a NUL that
 * appears only after decoding is an attempt to climb out of the root.
 */
function decodePath(pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || /(^|\/)\.\.(\/|$)/.test(decoded)) return null;
  return decoded;
}

export function resolveRendererAsset(rootDir: string, requestUrl: string): RendererAsset | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username !== '' || url.password !== '') {
    return null;
  }
  const decoded = decodePath(url.pathname);
  if (decoded === null) return null;

  const root = resolve(rootDir);
  // Paths without an extension are client-side routes: serve the app shell so a reload on
  // `fieldcrm://app/contacts/42` works.
  const wanted = decoded.endsWith('/') || extname(decoded) === '' ? '/index.html' : decoded;
  const filePath = resolve(root, `.${sep}${wanted}`);
  const inside = relative(root, filePath);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return null;
  return { filePath, mimeType: mimeTypeOf(filePath) };
}
