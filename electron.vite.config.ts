import { cpSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

/**
 * Three targets (main, preload, renderer) as in the electron-vite templates. Output goes to out/,
 * which package.json's `main` points into.
 */
const root = import.meta.dirname;

/**
 * pdfkit (PDF exports) reads its standard fonts' metrics from `__dirname + '/data/*.afm'` at run
 * time. Bundled into an ES module there is no `__dirname`, and no data folder beside it: the banner
 * defines one (the bundle's folder) and this plugin copies the data there.
 */
const DIRNAME_BANNER =
  "import { dirname as __bundleDirname } from 'node:path'; import { fileURLToPath as __bundleFileUrl } from 'node:url'; const __dirname = __bundleDirname(__bundleFileUrl(import.meta.url));";
function pdfkitFontData(): Plugin {
  return {
    name: 'fieldcrm:pdfkit-font-data',
    writeBundle(options) {
      if (options.dir)
        cpSync(resolve(root, 'node_modules/pdfkit/js/data'), resolve(options.dir, 'data'), { recursive: true });
    },
  };
}

export default defineConfig({
  main: {
    build: {
      // Bundled rather than required from node_modules at run time, so the packaged app needs no
      // node_modules at all (build/electron-builder.yml packs out/ only).
      externalizeDeps: false,
      outDir: resolve(root, 'out/main'),
      rolldownOptions: {
        input: { index: resolve(root, 'src-main/index.ts') },
        output: { banner: DIRNAME_BANNER },
      },
    },
    plugins: [pdfkitFontData()],
  },
  preload: {
    build: {
      externalizeDeps: false,
      outDir: resolve(root, 'out/preload'),
      rolldownOptions: {
        input: { index: resolve(root, 'src-main/preload/index.ts') },
        // With "type": "module" electron-vite would emit an ES module (.mjs), which Electron only
        // loads in an unsandboxed preload. CommonJS keeps `sandbox: true` (DESIGN.md §2); the .cjs
        // extension keeps Node from reading it as ESM under "type": "module".
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    plugins: [react()],
    // As in vite.web.config.ts: the exports' on-demand libraries are pre-bundled at start.
    optimizeDeps: { include: ['exceljs', 'jspdf', 'jspdf-autotable', 'papaparse', 'recharts'] },
    build: {
      // electron-vite leaves the renderer unminified (4 MB main chunk before the screens were split);
      // minified as in the web build, so Electron reads and parses a third of that at start.
      minify: true,
      outDir: resolve(root, 'out/renderer'),
      rolldownOptions: { input: { index: resolve(root, 'src-renderer/index.html') } },
    },
  },
});
