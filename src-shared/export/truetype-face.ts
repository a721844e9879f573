/**
 * One face of a font file as a standalone TrueType font, for jsPDF (the browser's PDF writer), which
 * reads only single-face fonts with TrueType outlines. Desktops keep their CJK fonts as collections
 * (.ttc: Microsoft YaHei, WenQuanYi Micro Hei), so the face is cut out: its table directory and the
 * tables it points at, copied into a new file with the offsets rewritten (OpenType spec, "Font
 * Collections"). Faces with PostScript outlines (a CFF table, as in Noto Sans CJK) are refused:
 * jsPDF cannot draw them.
 */

const TTC_TAG = 0x74746366; // 'ttcf'
const TRUETYPE = 0x00010000;
const TRUE = 0x74727565; // 'true', Apple's TrueType tag
const GLYF = 0x676c7966; // 'glyf'

function tablesAt(view: DataView, start: number): { tag: number; offset: number; length: number }[] {
  const count = view.getUint16(start + 4);
  return Array.from({ length: count }, (_, i) => {
    const record = start + 12 + 16 * i;
    return { tag: view.getUint32(record), offset: view.getUint32(record + 8), length: view.getUint32(record + 12) };
  });
}

function isTrueType(view: DataView, start: number): boolean {
  const version = view.getUint32(start);
  return (version === TRUETYPE || version === TRUE) && tablesAt(view, start).some((t) => t.tag === GLYF);
}

/**
 * The first face with TrueType outlines, as a font file of its own; the bytes themselves when they
 * already are one; undefined when no face qualifies. Throws on a file too short for what it claims.
 */
export function trueTypeFace(bytes: Uint8Array): Uint8Array | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 12) throw new RangeError('not a font: too short');
  if (view.getUint32(0) !== TTC_TAG) return isTrueType(view, 0) ? bytes : undefined;
  const faces = view.getUint32(8);
  for (let face = 0; face < faces; face++) {
    const start = view.getUint32(12 + 4 * face);
    if (!isTrueType(view, start)) continue;
    const tables = tablesAt(view, start);
    const directory = 12 + 16 * tables.length;
    // Tables start on 4-byte boundaries (their checksums are sums of 32-bit words).
    const size = tables.reduce((sum, t) => sum + ((t.length + 3) & ~3), directory);
    const out = new Uint8Array(size);
    const outView = new DataView(out.buffer);
    out.set(bytes.subarray(start, start + directory), 0);
    let at = directory;
    tables.forEach((t, i) => {
      if (t.offset + t.length > bytes.byteLength) throw new RangeError('not a font: a table lies past the end');
      out.set(bytes.subarray(t.offset, t.offset + t.length), at);
      outView.setUint32(12 + 16 * i + 8, at);
      at += (t.length + 3) & ~3;
    });
    return out;
  }
  return undefined;
}
