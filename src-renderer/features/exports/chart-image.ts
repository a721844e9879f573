import type { ExportImage } from '../../../src-shared/export/export-meta';

/**
 * A chart on screen as a PNG for the PDF: the chart library draws SVG, which is serialised with the
 * styles the page gave it (fonts come from CSS, not attributes), drawn on a canvas at twice its size
 * for print, and read back as PNG. The legend is HTML beside the SVG, so it is drawn on the canvas
 * over the same free strip. PNG rather than the SVG itself: neither PDF writer draws arbitrary SVG.
 */
const SCALE = 2;
/** The strip Recharts keeps free for a top legend (ReportChart's Legend height). */
const LEGEND_HEIGHT = 28;

interface LegendItem {
  readonly label: string;
  readonly color: string;
}

function legendItems(container: Element): LegendItem[] {
  return [...container.querySelectorAll('.recharts-legend-item')].map((item) => ({
    label: item.querySelector('.recharts-legend-item-text')?.textContent?.trim() ?? '',
    color: item.querySelector('path, rect, circle')?.getAttribute('fill') ?? '#64748b',
  }));
}

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('the chart could not be drawn as a picture'));
    image.src = url;
  });
}

/** The SVG as a standalone document: its size, the page's font, no hover highlight. */
function standaloneSvg(svg: SVGSVGElement, width: number, height: number): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  const style = getComputedStyle(svg);
  clone.setAttribute('font-family', style.fontFamily || 'sans-serif');
  clone.setAttribute('font-size', style.fontSize || '12px');
  for (const cursor of clone.querySelectorAll('.recharts-tooltip-cursor')) cursor.remove();
  return new XMLSerializer().serializeToString(clone);
}

function drawLegend(ctx: CanvasRenderingContext2D, items: readonly LegendItem[], width: number, top: number) {
  ctx.font = '12px sans-serif';
  ctx.textBaseline = 'middle';
  const widths = items.map((item) => 18 + ctx.measureText(item.label).width + 14);
  let x = Math.max(8, width - widths.reduce((a, b) => a + b, 0) - 8);
  const y = top + LEGEND_HEIGHT / 2;
  items.forEach((item, i) => {
    ctx.fillStyle = item.color;
    ctx.beginPath();
    ctx.arc(x + 5, y, 5, 0, 2 * Math.PI);
    ctx.fill();
    ctx.fillStyle = '#333333';
    ctx.fillText(item.label, x + 14, y);
    x += widths[i] ?? 0;
  });
}

/** The chart in `container` as a PNG; undefined when there is no chart drawn there (nothing to print). */
export async function chartImage(container: Element | null, title: string): Promise<ExportImage | undefined> {
  // The wrapper's own SVG: legend icons are `svg.recharts-surface` too.
  const svg = container?.querySelector('.recharts-wrapper > svg.recharts-surface');
  if (!container || !(svg instanceof SVGSVGElement)) return undefined;
  const box = svg.getBoundingClientRect();
  const width = Math.round(box.width);
  const chartHeight = Math.round(box.height);
  if (width === 0 || chartHeight === 0) return undefined;
  const legend = legendItems(container);
  const height = chartHeight;
  const image = await loadImage(
    `data:image/svg+xml;charset=utf-8,${encodeURIComponent(standaloneSvg(svg, width, chartHeight))}`,
  );
  const canvas = document.createElement('canvas');
  canvas.width = width * SCALE;
  canvas.height = height * SCALE;
  const ctx = canvas.getContext('2d');
  if (!ctx) return undefined;
  ctx.scale(SCALE, SCALE);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.drawImage(image, 0, 0, width, height);
  // On screen the legend lies over the strip the chart keeps free at its top; so it does here.
  if (legend.length > 0) drawLegend(ctx, legend, width, 0);
  const png = canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
  return { title, png, width, height };
}
