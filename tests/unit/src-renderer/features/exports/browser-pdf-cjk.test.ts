import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create as openFont } from 'fontkit';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { pdfBytes } from '../../../../../src-renderer/features/exports/browser-pdf';
import { cjkFontData } from '../../../../../src-renderer/features/exports/browser-pdf-fonts';
import { cjkFontCandidates } from '../../../../../src-shared/export/cjk-font-candidates';
import type { ExportMeta } from '../../../../../src-shared/export/export-meta';
import { trueTypeFace } from '../../../../../src-shared/export/truetype-face';
import { createApp } from '../../../../../sync-server/src/app';
import { createPgliteDatabase } from '../../../../../sync-server/src/db/database';
import { NO_CJK_FONT } from '../../../../../sync-server/src/files/cjk-font.routes';

// The browser's PDF (jsPDF) with Chinese, Japanese and Korean text: the font comes from the sync
// server's GET /fonts/cjk.ttf, cut out of the machine's font collection. Read back with poppler's
// pdftotext, which shares no code with jsPDF. `.ci/run` installs a CJK font where there is none.

const require = createRequire(import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'browser-pdf-cjk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const dejaVu = (file: string) => readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`));
const dejaVuData = async () => ({
  regular: dejaVu('DejaVuSans.ttf').toString('base64'),
  bold: dejaVu('DejaVuSans-Bold.ttf').toString('base64'),
});
/** A collection (.ttc) on this machine with a CJK TrueType face. */
const collection = cjkFontCandidates(process.env).find((path) => {
  try {
    return path.endsWith('.ttc') && trueTypeFace(readFileSync(path)) !== undefined;
  } catch {
    return false;
  }
});

const NAMES = ['张伟', '山田 太郎', '김민준', 'Zoë Müller'];
const meta: ExportMeta = {
  format: 'pdf',
  title: '客户 Contacts',
  entity: 'contact',
  filters: [{ label: 'City', value: '東京' }],
  asOf: null,
  exportedAt: '2026-03-01T10:00:00.000Z',
  sections: [
    {
      name: 'Contacts',
      columns: [
        { key: 'name', header: 'Name', type: 'text' },
        { key: 'jobTitle', header: '职位', type: 'text' },
      ],
    },
  ],
};
const chunk = { section: 0, rows: NAMES.map((name, i) => [name, i === 0 ? '销售经理' : 'Buyer']) };

async function fontServer(candidates: readonly string[]) {
  const db = await createPgliteDatabase();
  const app = createApp({ db, cjkFontCandidates: () => candidates });
  onTestFinished(async () => {
    await app.close();
    await db.close();
  });
  return app;
}

const pdfText = (bytes: ArrayBuffer, name: string) => {
  const path = join(dir, name);
  writeFileSync(path, Buffer.from(bytes));
  return {
    text: execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }),
    fonts: execFileSync('pdffonts', [path], { encoding: 'utf8' }),
  };
};

describe('trueTypeFace', () => {
  it('cuts the first TrueType face out of a collection as a font of its own', () => {
    if (!collection) throw new Error('no CJK font collection on this machine: .ci/run installs fonts-wqy-microhei');
    const face = trueTypeFace(readFileSync(collection));
    if (!face) throw new Error('no face');
    const font = openFont(Buffer.from(face));
    if ('fonts' in font) throw new Error('still a collection');
    for (const char of '张伟山田김') expect(font.hasGlyphForCodePoint(char.codePointAt(0) ?? 0)).toBe(true);
  });

  it('passes a single TrueType font through and refuses other files', () => {
    const ttf = dejaVu('DejaVuSans.ttf');
    expect(trueTypeFace(ttf)).toBe(ttf);
    // PostScript outlines ('OTTO'): jsPDF cannot draw them.
    const otto = Buffer.from(ttf);
    otto.write('OTTO', 0, 'latin1');
    expect(trueTypeFace(otto)).toBeUndefined();
    expect(() => trueTypeFace(Buffer.from('ttcf'))).toThrow(/too short/);
    // A collection whose face points past the end of the file.
    const broken = Buffer.alloc(64);
    broken.write('ttcf', 0, 'latin1');
    broken.writeUInt32BE(1, 8);
    broken.writeUInt32BE(16, 12);
    broken.writeUInt32BE(0x00010000, 16);
    broken.writeUInt16BE(1, 20);
    broken.write('glyf', 28, 'latin1');
    broken.writeUInt32BE(1000, 36);
    broken.writeUInt32BE(10, 40);
    expect(() => trueTypeFace(broken)).toThrow(/past the end/);
  });
});

describe('GET /fonts/cjk.ttf', () => {
  it("serves the first candidate's TrueType face, skipping missing files and non-fonts", async () => {
    if (!collection) throw new Error('no CJK font collection on this machine');
    const notFont = join(dir, 'not-a-font.ttc');
    writeFileSync(notFont, 'ttcf and then nothing');
    const app = await fontServer([join(dir, 'missing.ttc'), notFont, collection]);
    const reply = await app.inject({ url: '/fonts/cjk.ttf', headers: { origin: 'http://127.0.0.1:5173' } });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toBe('font/ttf');
    expect(reply.headers['access-control-allow-origin']).toBe('http://127.0.0.1:5173');
    expect(reply.rawPayload.equals(Buffer.from(trueTypeFace(readFileSync(collection)) ?? []))).toBe(true);
  });

  it('answers 404 with what to do when the machine has none', async () => {
    const app = await fontServer([join(dir, 'missing.ttc')]);
    const reply = await app.inject({ url: '/fonts/cjk.ttf' });
    expect(reply.statusCode).toBe(404);
    expect(reply.json()).toEqual({ error: NO_CJK_FONT });
  });
});

describe('browser PDF with Chinese, Japanese and Korean text', () => {
  it("draws it with the server's font: names, title, filter and header come back as written", async () => {
    if (!collection) throw new Error('no CJK font collection on this machine');
    const app = await fontServer([collection]);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const bytes = await pdfBytes(meta, [chunk], dejaVuData, () => cjkFontData(url));
    const { text, fonts } = pdfText(bytes, 'cjk.pdf');
    for (const name of NAMES) expect(text).toContain(name);
    expect(text).toContain('销售经理');
    expect(text).toContain('客户 Contacts');
    expect(text).toContain('City: 東京');
    expect(text).toContain('职位');
    expect(fonts).toMatch(/CJK\s+CID TrueType/);
  });

  it('fetches no CJK font for a PDF without such text', async () => {
    const latin = {
      ...meta,
      title: 'Contacts',
      filters: [],
      sections: [{ ...meta.sections[0]!, columns: [meta.sections[0]!.columns[0]!] }],
    };
    const bytes = await pdfBytes(latin, [{ section: 0, rows: [['Zoë Müller']] }], dejaVuData, () => {
      throw new Error('the CJK font was fetched');
    });
    const { text, fonts } = pdfText(bytes, 'latin.pdf');
    expect(text).toContain('Zoë Müller');
    expect(fonts).not.toContain('CJK');
  });

  it('refuses, saying what to do, when the server cannot lend a font', async () => {
    const none = await fontServer([join(dir, 'missing.ttc')]);
    const url = await none.listen({ port: 0, host: '127.0.0.1' });
    await expect(pdfBytes(meta, [chunk], dejaVuData, () => cjkFontData(url))).rejects.toThrow(
      `This PDF has Chinese, Japanese or Korean text and no font for it: ${NO_CJK_FONT}.`,
    );
    await expect(pdfBytes(meta, [chunk], dejaVuData, () => cjkFontData('http://127.0.0.1:9'))).rejects.toThrow(
      /sync server at http:\/\/127\.0\.0\.1:9, which did not answer\. Start it \(npm start\), or export to XLSX or CSV/,
    );
  });
});
