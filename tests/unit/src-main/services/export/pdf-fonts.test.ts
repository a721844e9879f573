import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CJK_FONT, findCjkFont, fontFor } from '../../../../../src-main/services/export/pdf-fonts';
import { createPdfWriter } from '../../../../../src-main/services/export/pdf-writer';
import { pdfBytes } from '../../../../../src-renderer/features/exports/browser-pdf';
import { cjkFontCandidates } from '../../../../../src-shared/export/cjk-font-candidates';
import type { ExportMeta } from '../../../../../src-shared/export/export-meta';

// Non-Latin names in both PDF writers, read back by poppler's pdftotext (shares no code with either).

const dir = mkdtempSync(join(tmpdir(), 'pdf-fonts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NAMES = ['Иван Петров', 'Σοφία Παπαδοπούλου', 'Zoë Ærøskøbing'];

const meta: ExportMeta = {
  format: 'pdf',
  title: 'Контакты — Επαφές',
  entity: 'contact',
  filters: [{ label: 'Город', value: 'Москва' }],
  asOf: null,
  exportedAt: '2026-03-01T10:00:00.000Z',
  sections: [{ name: 'Contacts', columns: [{ key: 'name', header: 'Имя', type: 'text' }] }],
};
const chunk = { section: 0, rows: NAMES.map((name) => [name]) };

const text = (path: string) => execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });

describe('PDF export of non-Latin text', () => {
  it('pdfkit (desktop, CLI) embeds DejaVu Sans: Cyrillic and Greek names and headers come back as written', async () => {
    const path = join(dir, 'node.pdf');
    const writer = createPdfWriter(createWriteStream(path), meta);
    await writer.write(chunk);
    await writer.end();
    const out = text(path);
    for (const name of NAMES) expect(out).toContain(name);
    expect(out).toContain('Контакты — Επαφές');
    expect(out).toContain('Город: Москва');
    expect(out).toContain('Имя');
    expect(readFileSync(path).includes('DejaVuSans')).toBe(true);
  });

  it('pdfkit draws text Helvetica covers with Helvetica and embeds DejaVu only for the rest', async () => {
    const fonts = async (rows: string[][]) => {
      const path = join(dir, `mixed-${rows.length}.pdf`);
      const latin: ExportMeta = {
        ...meta,
        title: 'Contacts',
        filters: [],
        sections: [{ ...meta.sections[0]!, columns: [{ key: 'name', header: 'Name', type: 'text' }] }],
      };
      const writer = createPdfWriter(createWriteStream(path), latin);
      await writer.write({ section: 0, rows });
      await writer.end();
      return { fonts: execFileSync('pdffonts', [path], { encoding: 'utf8' }), text: text(path) };
    };
    const latinOnly = await fonts([['Zoë Ærøskøbing'], ['“Café” €12 – Müller']]);
    expect(latinOnly.fonts).toContain('Helvetica');
    expect(latinOnly.fonts).not.toContain('DejaVu');
    expect(latinOnly.text).toContain('“Café” €12 – Müller');
    const mixed = await fonts([['Zoë Ærøskøbing'], ['Иван Петров'], ['Ada Lovelace']]);
    expect(mixed.fonts).toContain('Helvetica');
    expect(mixed.fonts).toContain('DejaVuSans');
    for (const name of ['Zoë Ærøskøbing', 'Иван Петров', 'Ada Lovelace']) expect(mixed.text).toContain(name);
  });

  it('pdfkit embeds the machine’s CJK font for Chinese, Japanese and Korean names, which came out blank', async () => {
    const found = findCjkFont(cjkFontCandidates(process.env));
    // .ci/run installs fonts-wqy-microhei when the machine has no CJK font.
    if (!found) throw new Error(`no CJK font on this machine; looked at ${cjkFontCandidates(process.env).join(', ')}`);
    const names = ['张伟', '山田太郎', '김민준', 'Zhang Wei (张伟)', 'Иван Петров'];
    const path = join(dir, 'cjk.pdf');
    const cjk: ExportMeta = { ...meta, title: '联系人 Contacts', filters: [{ label: '城市', value: '上海' }] };
    const writer = createPdfWriter(createWriteStream(path), cjk);
    await writer.write({ section: 0, rows: names.map((name) => [name]) });
    await writer.end();
    const out = text(path);
    for (const name of names) expect(out).toContain(name);
    expect(out).toContain('联系人 Contacts');
    expect(out).toContain('城市: 上海');
    const fonts = execFileSync('pdffonts', [path], { encoding: 'utf8' });
    expect(fonts).toContain(found.face.postscriptName ?? '');
    expect(fonts).toContain('DejaVuSans');
  });

  it('fontFor: Helvetica, then DejaVu, then the CJK font only for what DejaVu lacks', () => {
    expect(fontFor('Zoë', false)).toBe('Helvetica');
    expect(fontFor('Zoë', true)).toBe('Helvetica-Bold');
    expect(fontFor('Иван', true)).toBe('Body-Bold');
    expect(fontFor('Ivan 张', true)).toBe(CJK_FONT);
    expect(fontFor('한국', false)).toBe(CJK_FONT);
  });

  it('findCjkFont skips paths that are missing or not fonts', () => {
    const notFont = join(dir, 'not-a-font.ttc');
    writeFileSync(notFont, 'hello');
    const real = cjkFontCandidates(process.env).find((p) => findCjkFont([p]) !== undefined) ?? '';
    expect(findCjkFont([join(dir, 'missing.ttc'), notFont])).toBeUndefined();
    expect(findCjkFont([join(dir, 'missing.ttc'), notFont, real])?.face.path).toBe(real);
  });

  it('jsPDF (browser) embeds the same font', async () => {
    const require = createRequire(import.meta.url);
    const read = (file: string) => readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`)).toString('base64');
    const bytes = await pdfBytes(meta, [chunk], async () => ({
      regular: read('DejaVuSans.ttf'),
      bold: read('DejaVuSans-Bold.ttf'),
    }));
    const path = join(dir, 'browser.pdf');
    writeFileSync(path, Buffer.from(bytes));
    const out = text(path);
    for (const name of NAMES) expect(out).toContain(name);
    expect(out).toContain('Контакты — Επαφές');
  });
});
