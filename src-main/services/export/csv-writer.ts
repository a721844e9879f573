import type { Writable } from 'node:stream';
import Papa from 'papaparse';
import type { ExportMeta } from '../../../src-shared/export/export-meta';
import { csvEncoder } from '../../../src-shared/export/text-encoders';
import { type ExportFileWriter, endStream, writeText } from './file-writer';

/** CSV through papaparse (see csvEncoder), written as each chunk arrives. */
export function createCsvWriter(out: Writable, meta: ExportMeta): ExportFileWriter {
  const encoder = csvEncoder(meta, (rows, config) => Papa.unparse(rows, config));
  return {
    write: (chunk) => writeText(out, encoder.chunk(chunk)),
    async end() {
      await writeText(out, encoder.end());
      await endStream(out);
    },
  };
}
