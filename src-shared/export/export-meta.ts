import { z } from 'zod';
import type { ExportFileChunk, ExportFileImage, ExportFileMeta } from '../ipc/contract';
import { enumWords } from './export-cells';
import { EXPORT_COLUMN_TYPES, EXPORT_FORMATS, type ExportColumn, FORMAT_LABELS } from './export-columns';

/** A filter the list had on screen, as the file names it (`Status: Active`). */
export type ExportFilter = ExportFileMeta['filters'][number];
/** A part of the file: one sheet in XLSX, one table in PDF, one block of rows in CSV and JSON. */
export type ExportSection = ExportFileMeta['sections'][number];
/** What a file says about itself: title, filters, when its data was last synced, when it was made. */
export type ExportMeta = ExportFileMeta;
/** A picture printed above the tables in a PDF (a report's chart). */
export type ExportImage = ExportFileImage;
/** Rows of one section, in order; sections arrive one after another. */
export type ExportChunk = ExportFileChunk;

/** Rows per chunk the renderer sends; the IPC schema refuses larger ones. */
export const EXPORT_CHUNK_ROWS = 1000;
export const MAX_CHUNK_ROWS = 5000;
export const MAX_COLUMNS = 200;

const text = (max: number) => z.string().max(max);

export const exportColumnSchema = z.strictObject({
  key: text(200).min(1),
  header: text(200),
  type: z.enum(EXPORT_COLUMN_TYPES),
}) satisfies z.ZodType<ExportColumn>;

/** A chart drawn at twice its size stays well under this; a bigger one is refused rather than sent. */
export const MAX_IMAGE_BASE64 = 6_000_000;
export const MAX_IMAGES = 4;

export const exportImageSchema = z.strictObject({
  title: text(200),
  // The PNG signature (89 50 4E 47 0D 0A 1A 0A) in base64: the PDF writers take PNG only.
  png: z
    .base64()
    .max(MAX_IMAGE_BASE64)
    .refine((b) => b.startsWith('iVBORw0KGgo'), 'must be a PNG image'),
  width: z.number().int().min(1).max(10_000),
  height: z.number().int().min(1).max(10_000),
}) satisfies z.ZodType<ExportImage>;

export const exportMetaSchema = z.strictObject({
  format: z.enum(EXPORT_FORMATS),
  title: text(200).min(1),
  entity: text(60).min(1),
  filters: z.array(z.strictObject({ label: text(200), value: text(1000) })).max(50),
  asOf: z.iso.datetime().nullable(),
  exportedAt: z.iso.datetime(),
  sections: z
    .array(z.strictObject({ name: text(100).min(1), columns: z.array(exportColumnSchema).min(1).max(MAX_COLUMNS) }))
    .min(1)
    .max(50),
  images: z.array(exportImageSchema).max(MAX_IMAGES).optional(),
}) satisfies z.ZodType<ExportMeta>;

const cellSchema = z.union([
  z.string().max(100_000),
  z.number().refine(Number.isFinite, 'must be a finite number'),
  z.boolean(),
  z.null(),
  z.strictObject({ amount: z.number().refine(Number.isFinite), currency: z.string().regex(/^[A-Z]{3}$/) }),
]);

export const exportChunkSchema = z.strictObject({
  section: z.number().int().min(0).max(49),
  rows: z.array(z.array(cellSchema).max(MAX_COLUMNS)).max(MAX_CHUNK_ROWS),
}) satisfies z.ZodType<ExportChunk>;

/** The file's footer line: where the data stands, so a printed copy says how current it is. */
export function asOfText(meta: Pick<ExportMeta, 'asOf' | 'exportedAt'>): string {
  const stamp = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  const synced = meta.asOf
    ? `Data as of last sync ${stamp(meta.asOf)}`
    : 'Data as of last sync: never synced (local data)';
  return `${synced} · exported ${stamp(meta.exportedAt)}`;
}

export function filtersText(filters: readonly ExportFilter[]): string {
  return filters.length === 0 ? 'Filters: none' : `Filters: ${filters.map((f) => `${f.label}: ${f.value}`).join('; ')}`;
}

/**
 * The lines of a workbook's "About this export" sheet (desktop and page alike), in words: the kind
 * of record as `Audit log`, not the key `auditLog` (the key in words, not the registry's label: the
 * main process validates metas with this module and does not load the entity registry).
 */
export function aboutLines(meta: ExportMeta): [string, string][] {
  return [
    ['Title', meta.title],
    ['Record type', enumWords(meta.entity)],
    ['Format', FORMAT_LABELS[meta.format]],
    ['Filters', filtersText(meta.filters).replace(/^Filters: /, '')],
    ['Data as of', asOfText(meta)],
  ];
}
