import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { cjkFontCandidates } from '../../../src-shared/export/cjk-font-candidates';
import { trueTypeFace } from '../../../src-shared/export/truetype-face';

/**
 * GET /fonts/cjk.ttf: the machine's font for Chinese, Japanese and Korean text, as one TrueType face,
 * for the PDF the app makes in a browser (src-renderer/features/exports/browser-pdf.ts). A page
 * cannot read the machine's fonts and no npm package ships a CJK font small enough to bundle
 * (pdf-fonts.ts), so the server, which runs beside the browser in the web fallback, lends its own:
 * the same candidates as the desktop's PDF writer (FIELDCRM_PDF_CJK_FONT first). No sign-in: a font
 * is no one's data. Found once per process; a miss is looked for again on the next request.
 */

export const NO_CJK_FONT =
  'this machine has no CJK font with TrueType outlines: install one (Debian: fonts-wqy-microhei) or set FIELDCRM_PDF_CJK_FONT to one';

/** The first candidate holding a TrueType face, that face as a font file; undefined when none does. */
async function machineCjkFace(candidates: readonly string[]): Promise<Buffer | undefined> {
  for (const path of candidates) {
    try {
      const face = trueTypeFace(await readFile(path));
      if (face) return Buffer.from(face.buffer, face.byteOffset, face.byteLength);
    } catch {
      // Missing, unreadable or not a font: the next candidate.
    }
  }
  return undefined;
}

export function cjkFontRoutes(
  app: FastifyInstance,
  candidates: () => readonly string[] = () => cjkFontCandidates(process.env),
): void {
  let found: Promise<Buffer | undefined> | undefined;
  app.get('/fonts/cjk.ttf', async (_request, reply) => {
    found ??= machineCjkFace(candidates());
    const face = await found;
    if (face === undefined) {
      found = undefined;
      return reply.status(404).send({ error: NO_CJK_FONT });
    }
    return reply.type('font/ttf').header('cache-control', 'public, max-age=86400').send(face);
  });
}
