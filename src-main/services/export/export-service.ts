import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { ExportError, type ExportFormat } from '../../../src-shared/export/export-columns';
import type { ExportChunk, ExportMeta } from '../../../src-shared/export/export-meta';
import { createCsvWriter } from './csv-writer';
import type { ExportFileWriter, WriterFactory } from './file-writer';
import { createJsonWriter } from './json-writer';
import { createPdfWriter } from './pdf-writer';
import { createXlsxWriter } from './xlsx-writer';

export const WRITERS: Readonly<Record<ExportFormat, WriterFactory>> = {
  csv: createCsvWriter,
  xlsx: createXlsxWriter,
  pdf: createPdfWriter,
  json: createJsonWriter,
};

export interface ExportServiceDeps {
  /** The native save dialog; undefined when the user cancels it. */
  readonly chooseFile: (format: ExportFormat, suggestedName: string) => Promise<string | undefined>;
  readonly newId?: () => string;
}

interface Session {
  readonly path: string;
  readonly temp: string;
  readonly stream: WriteStream;
  readonly writer: ExportFileWriter;
  rows: number;
  /** Calls on one export run one after another, in the order they arrived. */
  queue: Promise<unknown>;
  failure?: Error;
}

export interface ExportService {
  chooseFile(format: ExportFormat, suggestedName: string): Promise<string | null>;
  begin(path: string, meta: ExportMeta): Promise<{ exportId: string }>;
  append(exportId: string, chunk: ExportChunk): Promise<{ rows: number }>;
  finish(exportId: string): Promise<{ path: string; rows: number }>;
  cancel(exportId: string): Promise<{ cancelled: boolean }>;
  /** Cancels every export in progress (the app is quitting); their partial files are removed. */
  cancelAll(): Promise<void>;
}

/**
 * Exports written by the main process. The renderer never names a file: it asks for the native
 * save dialog (`chooseFile`) and may then write only to the path that dialog returned, once. Rows
 * go to a hidden `.part` file beside it, renamed over the chosen path when the export finishes; a
 * cancelled or failed export deletes the part file, so no partial export is ever left behind.
 */
export function createExportService(deps: ExportServiceDeps): ExportService {
  const newId = deps.newId ?? randomUUID;
  const chosen = new Map<string, ExportFormat>();
  const sessions = new Map<string, Session>();

  const sessionOf = (exportId: string): Session => {
    const session = sessions.get(exportId);
    if (!session)
      throw new ExportError('exportId', 'is not an export in progress (finished, cancelled or never begun)');
    return session;
  };
  const discard = async (exportId: string, session: Session) => {
    sessions.delete(exportId);
    // The part file is created by the stream's open, which may still be under way (a chunk refused
    // right after begin): removed before the stream has closed, it was created after the removal
    // and left behind (seen in CI). Closed means opened, if it ever was, and let go.
    const closed = session.stream.closed ? Promise.resolve() : once(session.stream, 'close').catch(() => undefined);
    session.stream.destroy();
    await closed;
    await rm(session.temp, { force: true });
  };
  const run = <T>(exportId: string, session: Session, step: () => Promise<T>): Promise<T> => {
    const next = session.queue.then(async () => {
      if (session.failure) throw session.failure;
      try {
        return await step();
      } catch (error) {
        session.failure = error instanceof Error ? error : new Error(String(error));
        await discard(exportId, session);
        throw error;
      }
    });
    session.queue = next.catch(() => undefined);
    return next;
  };

  return {
    async chooseFile(format, suggestedName) {
      const path = await deps.chooseFile(format, suggestedName);
      if (!path) return null;
      const full = extname(path) ? resolve(path) : `${resolve(path)}.${format}`;
      chosen.set(full, format);
      return full;
    },
    async begin(path, meta) {
      const full = resolve(path);
      const format = chosen.get(full);
      if (!format) throw new ExportError('path', 'was not chosen in the save dialog');
      if (format !== meta.format)
        throw new ExportError('format', `is ${meta.format} but the file was chosen for ${format}`);
      chosen.delete(full);
      const temp = join(dirname(full), `.${basename(full)}.${newId()}.part`);
      const stream = createWriteStream(temp, { flags: 'wx' });
      const exportId = newId();
      const session: Session = {
        path: full,
        temp,
        stream,
        writer: WRITERS[format](stream, meta),
        rows: 0,
        queue: Promise.resolve(),
      };
      stream.on('error', (error) => {
        session.failure = error;
      });
      sessions.set(exportId, session);
      return { exportId };
    },
    async append(exportId, chunk) {
      const session = sessionOf(exportId);
      return run(exportId, session, async () => {
        await session.writer.write(chunk);
        session.rows += chunk.rows.length;
        return { rows: session.rows };
      });
    },
    async finish(exportId) {
      const session = sessionOf(exportId);
      return run(exportId, session, async () => {
        await session.writer.end();
        if (session.failure) throw session.failure;
        await rename(session.temp, session.path);
        sessions.delete(exportId);
        return { path: session.path, rows: session.rows };
      });
    },
    async cancel(exportId) {
      const session = sessions.get(exportId);
      if (!session) return { cancelled: false };
      // Waits for a chunk being written, so the part file is not deleted under it.
      await session.queue;
      if (sessions.has(exportId)) await discard(exportId, session);
      return { cancelled: true };
    },
    async cancelAll() {
      await Promise.all([...sessions.keys()].map((id) => this.cancel(id)));
    },
  };
}
