import type { Writable } from 'node:stream';
import type { ExportMeta } from '../../../src-shared/export/export-meta';
import { jsonEncoder } from '../../../src-shared/export/text-encoders';
import { type ExportFileWriter, endStream, writeText } from './file-writer';

/** JSON (see jsonEncoder), written row by row as each chunk arrives. */
export function createJsonWriter(out: Writable, meta: ExportMeta): ExportFileWriter {
  const encoder = jsonEncoder(meta);
  return {
    write: (chunk) => writeText(out, encoder.chunk(chunk)),
    async end() {
      await writeText(out, encoder.end());
      await endStream(out);
    },
  };
}
