import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The fonts PDF exports fall back to for text Helvetica cannot draw (see fontFor): DejaVu Sans (dejavu-fonts-ttf, Bitstream Vera derived
 * free licence), embedded and subset by pdfkit. Helvetica, pdfkit's default, is one of the PDF
 * standard fonts with WinAnsi encoding only: a Cyrillic or Greek name came out as mojibake.
 * DejaVu Sans covers Latin, Greek, Cyrillic, Armenian, Georgian and Hebrew; not CJK (no npm
 * package ships a CJK TrueType font small enough; such names still show as missing glyphs).
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

/**
 * Every character PDF's standard fonts can draw (WinAnsi: printable ASCII, Latin-1 and the 27
 * characters of 0x80–0x9F such as € and curly quotes). Text within it is drawn with Helvetica, whose
 * widths come from a metrics table; anything else with embedded DejaVu, which fontkit lays out word
 * by word — 5–8× slower per word (EXPORT-pdf went from 1.17 to 8.3 × pdfkit with every cell in DejaVu).
 */
const WIN_ANSI = /^[\x20-\x7e\xa0-\xff€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]*$/;

/** The font a text is drawn with: the standard face when it covers every character, else DejaVu. */
export function fontFor(text: string, bold: boolean): string {
  if (WIN_ANSI.test(text)) return bold ? 'Helvetica-Bold' : 'Helvetica';
  return bold ? BOLD_FONT : BODY_FONT;
}
