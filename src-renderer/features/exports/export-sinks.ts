import Papa from 'papaparse';
import type { ExportFormat } from '../../../src-shared/export/export-columns';
import type { ExportChunk, ExportMeta } from '../../../src-shared/export/export-meta';
import { csvEncoder, jsonEncoder } from '../../../src-shared/export/text-encoders';
import type { CrmApi } from '../../../src-shared/ipc/crm-api';
import { onDemand } from '../../ui/on-demand';

// The spreadsheet and PDF libraries are loaded only when someone exports to them (or by the app's preload).
const loadXlsxWriter = onDemand(() => import('./browser-xlsx'));
const loadPdfWriter = onDemand(() => import('./browser-pdf'));

/** Where an export's rows go: the main process's file writer, or a download built in the page. */
export interface ExportSink {
  write(chunk: ExportChunk): Promise<void>;
  /** Completes the file; resolves with where it went (a path, or the download's name). */
  finish(): Promise<string>;
  cancel(): Promise<void>;
}

/**
 * Desktop: the main process asks where to save (native dialog), then writes rows as they arrive.
 * Undefined when the user cancels the dialog.
 */
export async function desktopSink(api: CrmApi, meta: ExportMeta, fileName: string): Promise<ExportSink | undefined> {
  const path = await api.export.chooseFile(meta.format, fileName);
  if (path === null) return undefined;
  const { exportId } = await api.export.begin(path, meta);
  return {
    write: async (chunk) => {
      await api.export.append(exportId, chunk);
    },
    finish: async () => (await api.export.finish(exportId)).path,
    cancel: async () => {
      await api.export.cancel(exportId);
    },
  };
}

/** Hands a finished file to the browser as a download. */
export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const MIME: Readonly<Record<ExportFormat, string>> = {
  csv: 'text/csv;charset=utf-8',
  json: 'application/json',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

const aborted = () => new DOMException('The export was cancelled', 'AbortError');

/** Collects the rows, builds the file when they are all in, downloads it; nothing is downloaded once cancelled. */
function collectingSink(
  fileName: string,
  build: (chunks: ExportChunk[]) => Promise<BlobPart[]>,
  format: ExportFormat,
): ExportSink {
  let chunks: ExportChunk[] = [];
  let cancelled = false;
  return {
    write: async (chunk: ExportChunk) => {
      chunks.push(chunk);
    },
    finish: async () => {
      const parts = await build(chunks);
      chunks = [];
      // Building a large workbook takes a while: a Cancel pressed meanwhile still wins.
      if (cancelled) throw aborted();
      download(new Blob(parts, { type: MIME[format] }), fileName);
      return fileName;
    },
    cancel: async () => {
      cancelled = true;
      chunks = [];
    },
  };
}

/** Browser: the file is produced in the page once every row is in, then downloaded. */
export function browserSink(meta: ExportMeta, fileName: string): ExportSink {
  if (meta.format === 'csv' || meta.format === 'json') {
    const encoder =
      meta.format === 'csv' ? csvEncoder(meta, (rows, config) => Papa.unparse(rows, config)) : jsonEncoder(meta);
    const parts: string[] = [];
    return collectingSink(
      fileName,
      async (chunks) => {
        for (const chunk of chunks) parts.push(encoder.chunk(chunk));
        parts.push(encoder.end());
        return parts;
      },
      meta.format,
    );
  }
  if (meta.format === 'xlsx') {
    return collectingSink(fileName, async (chunks) => [await (await loadXlsxWriter()).xlsxBytes(meta, chunks)], 'xlsx');
  }
  return collectingSink(fileName, async (chunks) => [await (await loadPdfWriter()).pdfBytes(meta, chunks)], 'pdf');
}

/** The desktop app's writer when the main process is there (window.crm), a download otherwise. */
export function openSink(meta: ExportMeta, fileName: string): Promise<ExportSink | undefined> {
  const api = typeof window === 'undefined' ? undefined : window.crm;
  return api ? desktopSink(api, meta, fileName) : Promise.resolve(browserSink(meta, fileName));
}
