import { csvHeader, csvRow, jsonRecord } from './export-cells';
import type { ExportChunk, ExportMeta } from './export-meta';

/**
 * The text formats as pure encoders: each chunk of rows becomes the next piece of the file. The
 * main process writes the pieces to a file stream, the browser collects them into a Blob; both
 * produce the same bytes.
 */
export interface TextEncoder {
  chunk(chunk: ExportChunk): string;
  end(): string;
}

/** Sections arrive in order, each after the one before; a row must have a cell per column. */
export function checkSection(meta: ExportMeta, current: number, chunk: ExportChunk): void {
  if (chunk.section < current || chunk.section >= meta.sections.length) {
    throw new RangeError(
      `section ${chunk.section} is out of order (current ${current}, ${meta.sections.length} in all)`,
    );
  }
  const width = meta.sections[chunk.section]?.columns.length ?? 0;
  const bad = chunk.rows.findIndex((row) => row.length !== width);
  if (bad >= 0) {
    throw new RangeError(`row ${bad} has ${chunk.rows[bad]?.length} cells; the section has ${width} columns`);
  }
}

/** papaparse's `unparse`, passed in (src-shared imports no packages). */
export type Unparse = (rows: unknown[][], config: { newline: string }) => string;

/** RFC 4180 through papaparse; a BOM so Excel reads UTF-8; a later section repeats its header after a blank line. */
export function csvEncoder(meta: ExportMeta, unparse: Unparse): TextEncoder {
  let section = -1;
  const header = (index: number) => unparse([csvHeader(meta.sections[index]?.columns ?? [])], { newline: '\r\n' });
  return {
    chunk(chunk) {
      checkSection(meta, Math.max(section, 0), chunk);
      const columns = meta.sections[chunk.section]?.columns ?? [];
      let text = '';
      if (chunk.section !== section) {
        text += (section === -1 ? '\ufeff' : '\r\n\r\n') + header(chunk.section);
        section = chunk.section;
      }
      if (chunk.rows.length > 0) {
        text += `\r\n${unparse(
          chunk.rows.map((row) => csvRow(columns, row)),
          { newline: '\r\n' },
        )}`;
      }
      return text;
    },
    end() {
      return `${section === -1 ? `\ufeff${header(0)}` : ''}\r\n`;
    },
  };
}

/**
 * `{ title, entity, filters, asOf, exportedAt, sections: [{ name, columns, rows: [{ key: value }] }] }`,
 * row by row so the whole document is never held in memory.
 */
export function jsonEncoder(meta: ExportMeta): TextEncoder {
  let section = -1;
  let rowsInSection = 0;
  const head = JSON.stringify({
    title: meta.title,
    entity: meta.entity,
    filters: meta.filters,
    asOf: meta.asOf,
    exportedAt: meta.exportedAt,
  });
  const open = (index: number) => {
    const s = meta.sections[index];
    return `${index === 0 ? '' : ','}\n{"name":${JSON.stringify(s?.name)},"columns":${JSON.stringify(s?.columns)},"rows":[`;
  };
  const moveTo = (index: number) => {
    let text = section === -1 ? `${head.slice(0, -1)},"sections":[` : '\n]}';
    for (let i = section + 1; i <= index; i++) text += open(i) + (i < index ? '\n]}' : '');
    section = index;
    rowsInSection = 0;
    return text;
  };
  return {
    chunk(chunk) {
      checkSection(meta, Math.max(section, 0), chunk);
      const columns = meta.sections[chunk.section]?.columns ?? [];
      let text = chunk.section !== section ? moveTo(chunk.section) : '';
      for (const row of chunk.rows) {
        text += `${rowsInSection === 0 ? '\n' : ',\n'}${JSON.stringify(jsonRecord(columns, row))}`;
        rowsInSection++;
      }
      return text;
    },
    end() {
      const last = meta.sections.length - 1;
      return `${section < last ? moveTo(last) : ''}\n]}\n]}\n`;
    },
  };
}
