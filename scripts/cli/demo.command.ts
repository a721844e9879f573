import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { DEMO_SIZES, type DemoSize, generateDemoData } from '../../src-shared/demo/generate-demo-data';
import { parseArgs, UsageError } from './cli-error';
import { type CrmIo, processIo } from './crm-io';

export const demoUsage = `demo --size small|100k [--seed N] [--out FILE]
    Writes the deterministic demo data set as JSON lines {"entity", "record"} in dependency
    order (to FILE, or standard output), ready for an import. Same options, same bytes.`;

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

export async function demoCommand(argv: readonly string[], io: CrmIo = processIo()): Promise<void> {
  const { positional, flags } = parseArgs(argv, ['size', 'seed', 'out']);
  if (positional.length > 0) throw new UsageError(`unexpected argument "${positional[0]}"`);
  const size = flags.get('size') ?? 'small';
  if (!(size in DEMO_SIZES))
    throw new UsageError(`--size must be one of ${Object.keys(DEMO_SIZES).join(', ')}, not "${size}"`);
  const seedText = flags.get('seed');
  const seed = seedText === undefined ? undefined : Number(seedText);
  if (seed !== undefined && !Number.isSafeInteger(seed))
    throw new UsageError(`--seed must be a whole number, not "${seedText}"`);
  const path = flags.get('out');
  const out: Writable = path ? createWriteStream(path) : io.stdout;
  if (path) await once(out, 'open');

  const counts = new Map<string, number>();
  const started = Date.now();
  for (const batch of generateDemoData({ size: size as DemoSize, ...(seed === undefined ? {} : { seed }) })) {
    let chunk = '';
    for (const record of batch.records) chunk += `${JSON.stringify({ entity: batch.entity, record })}\n`;
    await write(out, chunk);
    counts.set(batch.entity, (counts.get(batch.entity) ?? 0) + batch.records.length);
  }
  if (path) {
    out.end();
    await once(out, 'finish');
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  io.stderr.write(
    `demo ${size}: ${total.toLocaleString('en')} records of ${counts.size} entities in ${((Date.now() - started) / 1000).toFixed(1)} s${path ? ` → ${path}` : ''}\n`,
  );
}
