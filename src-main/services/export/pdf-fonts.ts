import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Font, type FontCollection, create as openFont } from 'fontkit';
import { cjkFontCandidates } from '../../../src-shared/export/cjk-font-candidates';

/**
 * The fonts PDF exports fall back to for text Helvetica cannot draw (see fontFor): DejaVu Sans (dejavu-fonts-ttf, Bitstream Vera derived
 * free licence), embedded and subset by pdfkit. Helvetica, pdfkit's default, is one of the PDF
 * standard fonts with WinAnsi encoding only: a Cyrillic or Greek name came out as mojibake.
 * DejaVu Sans covers Latin, Greek, Cyrillic, Armenian, Georgian and Hebrew; not Chinese, Japanese
 * or Korean, for which the machine's own CJK font is embedded (cjkFont): no npm package ships
 * one small enough (Noto Sans SC alone is 73 MB packed), and every desktop has one.
 */
const require = createRequire(import.meta.url);

let cached: { regular: Buffer; bold: Buffer } | undefined;

/** The regular and bold faces, read once per process (~1.4 MB). */
export function pdfFonts(): { regular: Buffer; bold: Buffer } {
  cached ??= {
    regular: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    bold: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
  };
  return cached;
}

export const BODY_FONT = 'Body';
export const BOLD_FONT = 'Body-Bold';
/** The machine's CJK font, for regular and bold text alike (few such fonts have a bold face at hand). */
export const CJK_FONT = 'CJK';

/** A font file and, for a collection (.ttc), the face in it pdfkit should use. */
export interface FontFace {
  path: string;
  postscriptName?: string;
}

interface Loaded {
  face: FontFace;
  font: Font;
}

/** The first candidate that opens as a font, or undefined; a file that does not is skipped. */
export function findCjkFont(candidates: readonly string[]): Loaded | undefined {
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    try {
      const opened = openFont(readFileSync(path));
      if (isCollection(opened)) {
        const font = opened.fonts[0];
        if (font) return { face: { path, postscriptName: font.postscriptName }, font };
      } else return { face: { path }, font: opened };
    } catch {
      // Not a font fontkit reads (or unreadable): try the next.
    }
  }
  return undefined;
}

function isCollection(font: Font | FontCollection): font is FontCollection {
  return 'fonts' in font;
}

let cjk: Loaded | null | undefined;
let dejaVu: Font | undefined;

/** The machine's CJK font, looked for once per process (and only when a text needs it). */
export function cjkFont(): FontFace | undefined {
  if (cjk === undefined) cjk = findCjkFont(cjkFontCandidates(process.env)) ?? null;
  return cjk?.face;
}

/**
 * Every character PDF's standard fonts can draw (WinAnsi: printable ASCII, Latin-1 and the 27
 * characters of 0x80–0x9F such as € and curly quotes). Text within it is drawn with Helvetica, whose
 * widths come from a metrics table; anything else with embedded DejaVu, which fontkit lays out word
 * by word — 5–8× slower per word (EXPORT-pdf went from 1.17 to 8.3 × pdfkit with every cell in DejaVu).
 */
const WIN_ANSI = /^[\x20-\x7e\xa0-\xff€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]*$/;

/** Characters DejaVu has no glyph for, by code point (memoised: a column repeats its scripts). */
const missingInDejaVu = new Map<number, boolean>();

function dejaVuLacks(codePoint: number): boolean {
  let lacks = missingInDejaVu.get(codePoint);
  if (lacks === undefined) {
    dejaVu ??= openFont(pdfFonts().regular) as Font;
    lacks = !dejaVu.hasGlyphForCodePoint(codePoint);
    missingInDejaVu.set(codePoint, lacks);
  }
  return lacks;
}

/**
 * The font a text is drawn with: the standard face when it covers every character; else DejaVu,
 * unless the text has characters DejaVu lacks that the machine's CJK font has (a Chinese, Japanese
 * or Korean name: in DejaVu it came out blank).
 */
export function fontFor(text: string, bold: boolean): string {
  if (WIN_ANSI.test(text)) return bold ? 'Helvetica-Bold' : 'Helvetica';
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    if (!dejaVuLacks(codePoint)) continue;
    if (cjkFont() && cjk?.font.hasGlyphForCodePoint(codePoint)) return CJK_FONT;
  }
  return bold ? BOLD_FONT : BODY_FONT;
}
