/**
 * A list's count as its header shows it: "1 contact", "2,345 contacts", or "10,000+ contacts"
 * when the count stopped at its cap (usePagedList's totalCapped). Empty until counted.
 */
export function listCountText(total: number | undefined, capped: boolean, one: string, many: string): string {
  if (total === undefined) return '';
  if (capped) return `${total.toLocaleString()}+ ${many}`;
  return `${total.toLocaleString()} ${total === 1 ? one : many}`;
}
