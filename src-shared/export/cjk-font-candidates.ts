/**
 * Where desktops keep a font covering Chinese, Japanese and Korean, most complete first, for the
 * PDF writers (the desktop's pdfkit, and the browser's jsPDF through the sync server's
 * GET /fonts/cjk.ttf). Windows: Microsoft YaHei (Chinese, kana) and Malgun Gothic (Hangul); macOS:
 * Hiragino Sans GB, PingFang, Apple SD Gothic Neo; Linux: Noto Sans CJK (Debian, Fedora, Arch) or
 * WenQuanYi Micro Hei. `FIELDCRM_PDF_CJK_FONT` first when set. `env` is the process's environment.
 */
export function cjkFontCandidates(env: Readonly<Record<string, string | undefined>>): string[] {
  const windows = `${env.WINDIR ?? 'C:\\Windows'}\\Fonts`;
  return [
    ...(env.FIELDCRM_PDF_CJK_FONT ? [env.FIELDCRM_PDF_CJK_FONT] : []),
    `${windows}\\msyh.ttc`,
    `${windows}\\msyh.ttf`,
    `${windows}\\YuGothR.ttc`,
    `${windows}\\malgun.ttf`,
    '/System/Library/Fonts/Hiragino Sans GB.ttc',
    '/System/Library/Fonts/PingFang.ttc',
    '/System/Library/Fonts/STHeiti Light.ttc',
    '/System/Library/Fonts/AppleSDGothicNeo.ttc',
    '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
    '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
    '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc',
    '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
    '/usr/share/fonts/wqy-microhei/wqy-microhei.ttc',
    '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
  ];
}
