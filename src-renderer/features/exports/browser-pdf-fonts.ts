import regularUrl from 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf?url';
import boldUrl from 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf?url';

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
