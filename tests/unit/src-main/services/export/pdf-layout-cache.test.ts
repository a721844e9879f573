import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createPdfWriter } from '../../../../../src-main/services/export/pdf-writer';
import type { ExportMeta } from '../../../../../src-shared/export/export-meta';

// The PDF writer starts pdfkit's layout cache of the embedded font over every 20 pages (memory
// stayed flat on EXPORT-pdf); text drawn after a reset must still come out whole.

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pdf-layout-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('prints every row, Cyrillic and Latin, across pages after the layout cache starts over', async () => {
  const meta: ExportMeta = {
    format: 'pdf',
    title: 'Контакты',
    entity: 'contact',
    filters: [],
    asOf: null,
    exportedAt: '2026-11-02T10:00:00.000Z',
    sections: [
      {
        name: 'Контакты',
        columns: [
          { key: 'name', header: 'Имя', type: 'text' },
          { key: 'email', header: 'Email', type: 'text' },
        ],
      },
    ],
  };
  const path = join(dir, 'contacts.pdf');
  const writer = createPdfWriter(createWriteStream(path), meta);
  const rows = 1100; // ~25 pages of 44 rows: past the first reset at page 20
  for (let start = 0; start < rows; start += 100) {
    await writer.write({
      section: 0,
      rows: Array.from({ length: 100 }, (_, k) => [`Пётр Иванов-${start + k}`, `p${start + k}@example.com`]),
    });
  }
  await writer.end();
  const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [path], { encoding: 'utf8' }))?.[1]);
  expect(pages).toBeGreaterThan(20);
  const names = new Set(text.match(/Пётр Иванов-\d+/g));
  expect(names.size).toBe(rows);
  expect(text).toContain('p1099@example.com');
});
