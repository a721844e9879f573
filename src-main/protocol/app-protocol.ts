import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { APP_SCHEME } from '../security/trusted-url';
import { resolveRendererAsset } from './asset-path';

/**
 * The packaged renderer is served from `fieldcrm://app/` rather than `file://`: a file URL's origin
 * covers every file on disk (any local HTML file would share the app's IndexedDB and pass an
 * origin check), and CSP cannot be sent as a header for file URLs. VS Code does the same with
 * `vscode-file://vscode-app`.
 *
 * Must run before `app` is ready.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      // `standard` gives the scheme a real origin (storage, relative URLs); `secure` makes it a
      // secure context like https, which IndexedDB and crypto.subtle expect. `corsEnabled` stays
      // off: the page loads its modules same-origin, which does not need it, and off keeps the
      // scheme unreadable from any other origin (electron/electron#52912).
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

/** Serves the built renderer from `rendererDir` with the CSP header on every response. */
export function serveRenderer(rendererDir: string, contentSecurityPolicy: string | (() => string)): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const asset = resolveRendererAsset(rendererDir, request.url);
    if (!asset) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(asset.filePath);
      return new Response(body, {
        headers: {
          'Content-Type': asset.mimeType,
          // A getter after a server is trusted (security/trust-server.ts): read per response.
          'Content-Security-Policy':
            typeof contentSecurityPolicy === 'function' ? contentSecurityPolicy() : contentSecurityPolicy,
          'X-Content-Type-Options': 'nosniff',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}
