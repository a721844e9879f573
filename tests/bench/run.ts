import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench -- [ID...]`: one JSON line per result on stdout; progress on stderr.
 * Every `tests/bench/<id>-<name>.ts` that exports `benchId` and `run()` is a benchmark
 * (e.g. b1-bulk-write.ts exports benchId 'B1', ai-lead.ts 'AI-lead'), as do `app.ts` (APP: the app in Chromium) and `load.ts` (LOAD).
 */
interface BenchModule {
  benchId: string;
  run: () => Promise<void>;
}

const dir = fileURLToPath(new URL('.', import.meta.url));
const files = readdirSync(dir).filter((f) => /^(?:(?:b\d+|peer|ai|export|import)-[\w-]+|app|load)\.ts$/.test(f));
const modules = await Promise.all(files.map(async (f) => (await import(`./${f}`)) as Partial<BenchModule>));
const benches = new Map<string, BenchModule['run']>();
for (const [i, m] of modules.entries()) {
  if (typeof m.benchId !== 'string' || typeof m.run !== 'function') {
    process.stderr.write(`${files[i]} does not export benchId and run(); skipped\n`);
    continue;
  }
  benches.set(m.benchId.toUpperCase(), m.run);
}
const order = [...benches.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));

const asked = process.argv.slice(2).map((a) => a.toUpperCase());
const unknown = asked.filter((id) => !benches.has(id));
if (unknown.length > 0) {
  process.stderr.write(`Unknown benchmark ${unknown.join(', ')}; known: ${order.join(', ')}\n`);
  process.exit(2);
}
for (const id of asked.length > 0 ? asked : order) {
  process.stderr.write(`running ${id}…\n`);
  await benches.get(id)?.();
}
process.exit(0);
