import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
// `.js` rather than no extension: Vite warns that extensionless imports will break its native
// config loader; TypeScript's bundler resolution maps `.js` to the `.ts` file.
import { buildCspMetaContent, LOCAL_SERVER_SOURCES } from './src-main/security/csp.js';
import { serverSources } from './src-main/security/server-origins.js';

/**
 * The Electron renderer served to a plain browser: `npm run dev:web`, `npm run build:web`, and the
 * fallback of `npm start` where Electron cannot launch. Same root and plugins as the renderer target
 * of electron.vite.config.ts; there is no preload here, so `window.crm` is absent.
 */
const root = import.meta.dirname;
const port = Number(process.env.PORT) || 5173;

/**
 * A browser build has no main process to send a CSP header, so the policy travels in the page as
 * a `<meta>` tag. Build only: the dev server's HMR needs inline scripts the policy refuses.
 */
function cspMeta(): Plugin {
  return {
    name: 'fieldcrm:csp-meta',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [
        {
          tag: 'meta',
          attrs: {
            'http-equiv': 'Content-Security-Policy',
            // A deployment names its sync server at build time (VITE_SYNC_URL, also the sign-in default).
            content: buildCspMetaContent({
              mode: 'production',
              connectSources: [...LOCAL_SERVER_SOURCES, ...serverSources([process.env.VITE_SYNC_URL])],
            }),
          },
          injectTo: 'head-prepend',
        },
      ],
    },
  };
}

export default defineConfig({
  root: resolve(root, 'src-renderer'),
  plugins: [react(), cspMeta()],
  server: {
    host: '127.0.0.1',
    port,
    // An explicit PORT (as scripts/start.mjs passes) must be the port served, or the URL it
    // prints would be wrong; without one Vite may move to the next free port.
    strictPort: Boolean(process.env.PORT),
  },
  preview: { host: '127.0.0.1', port },
  // Loaded on demand by exports (dynamic import). Pre-bundled at start: found later, the dev server
  // would re-optimise mid-session and the first export's import would fail.
  optimizeDeps: { include: ['exceljs', 'jspdf', 'jspdf-autotable', 'papaparse', 'recharts'] },
  build: {
    outDir: resolve(root, 'out/web'),
    emptyOutDir: true,
  },
});
