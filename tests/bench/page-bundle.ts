import { build } from 'vite';

/**
 * A page-side module (tests/bench/app-chromium/*.page.ts) as one classic script, for
 * `page.addScriptTag` on a page whose CSP is bypassed or absent; nothing of it ships. `entry` is
 * resolved against tests/bench.
 */
export async function bundlePage(entry: string): Promise<string> {
  const output = await build({
    configFile: false,
    logLevel: 'warn',
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      write: false,
      minify: false,
      lib: { entry: new URL(entry, import.meta.url).pathname, formats: ['iife'], name: 'benchPage' },
    },
  });
  const first = (Array.isArray(output) ? output[0] : output) as { output: { code?: string }[] };
  const code = first.output[0]?.code;
  if (!code) throw new Error(`no bundle for ${entry}`);
  return code;
}
