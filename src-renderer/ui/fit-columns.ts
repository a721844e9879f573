/**
 * Which of a table's columns fit its width. A list beside an open record (or on a 1024 px laptop)
 * had every column squeezed to a few letters and an ellipsis: it reads better with fewer columns
 * shown whole. Columns are kept in their order, the first always; the record pane shows the rest.
 */

/** The narrowest a column is worth showing at: its px width, or this per `fr` of a flexible one. */
export const MIN_PX_PER_FR = 110;

/** The width a CSS grid track needs at least; unknown forms count as one `fr`. */
export function minTrackPx(track: string | undefined): number {
  const value = (track ?? '1fr').trim();
  const px = /^(\d+(?:\.\d+)?)px$/.exec(value);
  if (px) return Number(px[1]);
  const fr = /^(\d+(?:\.\d+)?)fr$/.exec(value);
  return Math.max(MIN_PX_PER_FR, Math.round(Number(fr ? fr[1] : 1) * MIN_PX_PER_FR));
}

/**
 * How many of `tracks`, from the first, fit in `width` px with `gap` px between two (at least one).
 * A width of 0 or less means not measured yet (or no layout, as in tests): every column.
 */
export function columnsThatFit(tracks: readonly (string | undefined)[], width: number, gap = 0): number {
  if (!(width > 0)) return tracks.length;
  let used = 0;
  let count = 0;
  for (const track of tracks) {
    used += minTrackPx(track) + (count > 0 ? gap : 0);
    if (used > width && count > 0) break;
    count++;
  }
  return count;
}
