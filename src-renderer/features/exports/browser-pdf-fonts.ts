import regularUrl from 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf?url';
import boldUrl from 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf?url';
import { appSession } from '../../app/app-session';
import { DEFAULT_SERVER_URL } from '../../sync/server-url';

/**
 * DejaVu Sans for the browser's PDF (jsPDF), the same faces the main process's pdfkit writer embeds
 * (src-main/services/export/pdf-fonts.ts): jsPDF's standard Helvetica cannot draw Cyrillic or Greek.
 * Fetched as assets only when a PDF is made, once per page load, as jsPDF's virtual file system
 * wants them (base64).
 */
export const PDF_FONT = 'DejaVu';

let loading: Promise<{ regular: string; bold: string }> | undefined;

function base64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let text = '';
  // In slices: String.fromCharCode(...bytes) of 750 KB overflows the argument limit.
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

async function fetchFont(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the PDF font could not be loaded (${response.status} ${url})`);
  return base64(await response.arrayBuffer());
}

export function pdfFontData(): Promise<{ regular: string; bold: string }> {
  loading ??= Promise.all([fetchFont(regularUrl), fetchFont(boldUrl)]).then(([regular, bold]) => ({ regular, bold }));
  // A failed load is tried again on the next export rather than remembered.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/** The family jsPDF draws Chinese, Japanese and Korean text with (the machine's font, lent by the sync server). */
export const CJK_PDF_FONT = 'CJK';

/**
 * Text DejaVu Sans has no glyphs for: Han, kana, Hangul, Bopomofo, CJK punctuation and full-width
 * forms. Such text is drawn with the CJK font; in DejaVu it came out blank.
 */
export const CJK_TEXT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}\u3000-\u303f\uff00-\uffef]/u;

/** The sync server this device uses (its session's), else the one the sign-in offers first. */
function fontServerUrl(): string {
  const state = appSession().state();
  return 'serverUrl' in state ? state.serverUrl : DEFAULT_SERVER_URL;
}

const cjkLoads = new Map<string, Promise<string>>();

/**
 * The machine's CJK font as base64, from the sync server's GET /fonts/cjk.ttf
 * (sync-server/src/files/cjk-font.routes.ts): a page cannot read the machine's fonts. Only fetched
 * when a PDF has such text. Throws with what to do when the server cannot lend one.
 */
export function cjkFontData(serverUrl: string = fontServerUrl()): Promise<string> {
  let loading = cjkLoads.get(serverUrl);
  if (loading === undefined) {
    loading = (async () => {
      const url = `${serverUrl.replace(/\/+$/, '')}/fonts/cjk.ttf`;
      const response = await fetch(url).catch(() => {
        throw new Error(
          `This PDF has Chinese, Japanese or Korean text, and its font comes from the sync server at ${serverUrl}, which did not answer. Start it (npm start), or export to XLSX or CSV.`,
        );
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { error?: unknown };
        const why = typeof body.error === 'string' ? body.error : `${response.status} ${response.statusText}`;
        throw new Error(`This PDF has Chinese, Japanese or Korean text and no font for it: ${why}.`);
      }
      return base64(await response.arrayBuffer());
    })();
    cjkLoads.set(serverUrl, loading);
    // A failed load is tried again on the next export rather than remembered.
    loading.catch(() => cjkLoads.delete(serverUrl));
  }
  return loading;
}
