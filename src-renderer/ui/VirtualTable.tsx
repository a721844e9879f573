import { useVirtualizer } from '@tanstack/react-virtual';
import {
  type KeyboardEvent,
  memo,
  type ReactNode,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { columnsThatFit } from './fit-columns';
import { UpdatingStatus, useShownAfter } from './LoadingStatus';

export interface Column<R> {
  key: string;
  header: string;
  /** CSS grid track, e.g. '2fr' or '120px'. */
  width?: string;
  numeric?: boolean;
  render: (row: R) => ReactNode;
}

interface VirtualTableProps<R extends { id: string }> {
  label: string;
  rows: readonly R[] | undefined;
  columns: readonly Column<R>[];
  onOpen?: (row: R) => void;
  /** Called when the user nears the end of the loaded rows. */
  onEndReached?: () => void;
  selectedId?: string;
  empty?: ReactNode;
  rowHeight?: number;
  /**
   * The rows are not yet those of the list's current filter (the previous filter's stay on screen
   * while the new one's are read): after UPDATING_DELAY_MS they are dimmed and "Updating…" is shown
   * and announced, so a slow switch never passes the old rows off as the answer.
   */
  busy?: boolean;
}

/** The box of a cell, or of an element in it, as far as truncation goes. */
export interface CellBox {
  scrollWidth: number;
  clientWidth: number;
  textContent: string | null;
}

/**
 * The tooltip of a cell: its whole text when the cell, or a part of it (a name beside its email, a
 * badge), is cut off with an ellipsis; none when everything shows. Set as the pointer enters the
 * cell, so it reads names looked up since the row was drawn and costs nothing while scrolling.
 */
export function overflowTitle(cell: CellBox, parts: Iterable<CellBox> = []): string | undefined {
  const text = cell.textContent?.replace(/\s+/g, ' ').trim();
  if (!text) return undefined;
  const cut = (box: CellBox) => box.scrollWidth > box.clientWidth;
  if (cut(cell)) return text;
  for (const part of parts) if (cut(part)) return text;
  return undefined;
}

/** Gives a truncated cell under the pointer its whole text as a title (overflowTitle). */
function titleTruncated(event: { target: EventTarget }) {
  const cell = event.target instanceof Element ? event.target.closest('td') : null;
  if (!cell) return;
  const title = overflowTitle(cell, cell.querySelectorAll('*'));
  if (title) cell.setAttribute('title', title);
  else cell.removeAttribute('title');
}

const ROW_PADDING_PX = 14;
const CELL_GAP_PX = 12;

/** The element's content width, followed as it changes; 0 until measured (or without ResizeObserver). */
function useWidth(ref: { current: HTMLElement | null }, present: boolean): number {
  const [width, setWidth] = useState(0);
  // Measured before the first paint too, so a narrow list never shows every column for a frame.
  useLayoutEffect(() => {
    const element = ref.current;
    if (!present || !element || typeof ResizeObserver === 'undefined') return;
    setWidth(element.clientWidth);
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry?.contentRect.width ?? 0)));
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, present]);
  return width;
}

/**
 * A list that renders only the rows in view, so 100k records scroll like 100. Keyboard: the list
 * is one tab stop; arrows, Page Up/Down, Home and End move, Enter opens. Columns that do not fit
 * its width are left out, last first (fit-columns.ts).
 */
export function VirtualTable<R extends { id: string }>({
  label,
  rows,
  columns: allColumns,
  onOpen,
  onEndReached,
  selectedId,
  empty,
  rowHeight = 40,
  busy = false,
}: VirtualTableProps<R>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  // Lists pass a new onOpen each render; rows hold one stable click handler, so they skip re-rendering.
  const openRef = useRef(onOpen);
  openRef.current = onOpen;
  const onRowClick = useCallback((index: number, row: R) => {
    setActive(index);
    openRef.current?.(row);
  }, []);
  const count = rows?.length ?? 0;
  const updating = useShownAfter(busy && rows !== undefined);
  const width = useWidth(scrollRef, count > 0);
  // The row's side padding and the gap between cells, as app.css sets them (.vtable-row: 0.9rem, 0.75rem).
  const fit = columnsThatFit(
    allColumns.map((c) => c.width),
    width - 2 * ROW_PADDING_PX,
    CELL_GAP_PX,
  );
  // The same array while the same columns fit: rows are memoised on it.
  const columns = useMemo(() => allColumns.slice(0, fit), [allColumns, fit]);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const last = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (count > 0 && last >= count - 20) onEndReached?.();
  }, [last, count, onEndReached]);
  useEffect(() => {
    if (active >= count && count > 0) setActive(count - 1);
  }, [active, count]);
  // The selected row (a record opened by link, or read to after it) is scrolled to once it is
  // among the rows, and keyboard moves go on from it; once per selection, so scrolling away stays.
  const scrolledTo = useRef<string | undefined>(undefined);
  const selectedIndex = useMemo(
    () => (selectedId && rows ? rows.findIndex((r) => r.id === selectedId) : -1),
    [rows, selectedId],
  );
  useEffect(() => {
    if (!selectedId) scrolledTo.current = undefined;
    if (selectedIndex < 0 || scrolledTo.current === selectedId) return;
    scrolledTo.current = selectedId;
    setActive(selectedIndex);
    virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedId, selectedIndex, virtualizer]);

  const grid = columns.map((c) => c.width ?? '1fr').join(' ');
  const move = (to: number) => {
    const next = Math.max(0, Math.min(count - 1, to));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / rowHeight) - 1);
    const targets: Record<string, number> = {
      ArrowDown: active + 1,
      ArrowUp: active - 1,
      PageDown: active + page,
      PageUp: active - page,
      Home: 0,
      End: count - 1,
    };
    const target = targets[event.key];
    if (target !== undefined) {
      event.preventDefault();
      move(target);
    } else if (event.key === 'Enter' && rows?.[active]) {
      event.preventDefault();
      onOpen?.(rows[active]);
    }
  };

  if (rows === undefined) return <p className="muted pad">Loading…</p>;
  if (rows.length === 0)
    return (
      <div className={updating ? 'empty updating' : 'empty'} aria-busy={busy || undefined}>
        {empty ?? 'Nothing here yet.'}
        <UpdatingStatus shown={updating} />
      </div>
    );
  return (
    <div ref={scrollRef} className={updating ? 'vtable updating' : 'vtable'}>
      <UpdatingStatus shown={updating} />
      <table
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: an ARIA grid on a table is the documented pattern for a keyboard-navigable data table.
        role="grid"
        aria-label={label}
        aria-rowcount={count + 1}
        aria-busy={busy || undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
        aria-activedescendant={rows[active] ? `row-${rows[active].id}` : undefined}
      >
        <thead>
          <tr className="vtable-head" style={{ gridTemplateColumns: grid }}>
            {columns.map((c) => (
              <th key={c.key} scope="col" className={c.numeric ? 'num' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index] as R;
            return (
              <VirtualRow
                key={row.id}
                row={row}
                index={item.index}
                start={item.start}
                size={item.size}
                active={item.index === active}
                selected={row.id === selectedId}
                grid={grid}
                columns={columns}
                onClick={onRowClick}
              />
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

interface VirtualRowProps<R extends { id: string }> {
  row: R;
  index: number;
  start: number;
  size: number;
  active: boolean;
  selected: boolean;
  grid: string;
  columns: readonly Column<R>[];
  onClick: (index: number, row: R) => void;
}

/**
 * One row, re-rendered only when what it shows changes: a filter switch re-renders the list at
 * once with its old rows (marked busy) before the new page is read, and each row's cells (names
 * looked up, values formatted) were drawn again for nothing.
 */
const VirtualRow = memo(function VirtualRow<R extends { id: string }>({
  row,
  index,
  start,
  size,
  active,
  selected,
  grid,
  columns,
  onClick,
}: VirtualRowProps<R>) {
  const classes = ['vtable-row'];
  if (active) classes.push('active');
  if (selected) classes.push('selected');
  return (
    // biome-ignore lint/a11y/useKeyWithMouseEvents: a hover tooltip only; the cell's whole text is in the DOM (an ellipsis is CSS), so assistive tech reads it all, and the grid is keyboard-driven by aria-activedescendant, not row focus.
    <tr
      id={`row-${row.id}`}
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={classes.join(' ')}
      style={{ gridTemplateColumns: grid, height: size, transform: `translateY(${start}px)` }}
      onClick={() => onClick(index, row)}
      onMouseOver={titleTruncated}
    >
      {columns.map((c) => (
        <td key={c.key} className={c.numeric ? 'num' : undefined}>
          {c.render(row)}
        </td>
      ))}
    </tr>
  );
}) as <R extends { id: string }>(props: VirtualRowProps<R>) => ReactNode;
