import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { ExportChunk, ExportMeta } from '../../../src-shared/export/export-meta';

/** Writes one export file as its rows arrive; `end` resolves once every byte reached the stream. */
export interface ExportFileWriter {
  write(chunk: ExportChunk): Promise<void>;
  end(): Promise<void>;
}

export type WriterFactory = (out: Writable, meta: ExportMeta) => ExportFileWriter;

/** Writes text, waiting for the stream to drain when its buffer is full (memory stays flat). */
export async function writeText(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/** Ends the stream and waits until it has flushed and closed. */
export async function endStream(out: Writable): Promise<void> {
  const finished = once(out, 'finish');
  out.end();
  await finished;
}

export { checkSection } from '../../../src-shared/export/text-encoders';
