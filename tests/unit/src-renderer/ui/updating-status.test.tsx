import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EmptyList } from '../../../../src-renderer/features/records/EntityList';
import { showAfter, UPDATING_DELAY_MS, UpdatingStatus } from '../../../../src-renderer/ui/LoadingStatus';
import { overflowTitle, VirtualTable } from '../../../../src-renderer/ui/VirtualTable';

describe('showAfter: a list says "Updating…" only once busy for a moment', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows after the delay, not before: a slow filter switch', () => {
    const seen: boolean[] = [];
    showAfter(true, UPDATING_DELAY_MS, (shown) => seen.push(shown));
    vi.advanceTimersByTime(UPDATING_DELAY_MS - 1);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual([true]);
  });

  it('never shows for a switch faster than the delay (no flash): the wait is cancelled', () => {
    const seen: boolean[] = [];
    const cancel = showAfter(true, UPDATING_DELAY_MS, (shown) => seen.push(shown));
    vi.advanceTimersByTime(100);
    cancel();
    showAfter(false, UPDATING_DELAY_MS, (shown) => seen.push(shown));
    vi.advanceTimersByTime(1000);
    expect(seen).toEqual([false]);
  });

  it('hides at once when the rows arrive', () => {
    const seen: boolean[] = [];
    showAfter(false, UPDATING_DELAY_MS, (shown) => seen.push(shown));
    expect(seen).toEqual([false]);
  });

  it('waits 150 ms', () => {
    expect(UPDATING_DELAY_MS).toBe(150);
  });
});

describe('the updating status in a list', () => {
  const rows = [{ id: 'a', name: 'Ada' }];
  const columns = [{ key: 'name', header: 'Name', render: (r: { name: string }) => r.name }];

  it('is a polite live region, in the page before it has text, so its text is announced', () => {
    expect(renderToStaticMarkup(<UpdatingStatus shown={false} />)).toBe('<p class="list-updating" role="status"></p>');
    expect(renderToStaticMarkup(<UpdatingStatus shown={true} />)).toContain('Updating…');
  });

  it('marks the grid busy while the rows are the previous filter’s, and not otherwise', () => {
    const busy = renderToStaticMarkup(<VirtualTable label="Contacts" rows={rows} columns={columns} busy />);
    expect(busy).toContain('aria-busy="true"');
    expect(busy).toContain('role="status"');
    const idle = renderToStaticMarkup(<VirtualTable label="Contacts" rows={rows} columns={columns} />);
    expect(idle).not.toContain('aria-busy');
    const empty = renderToStaticMarkup(<VirtualTable label="Contacts" rows={[]} columns={columns} busy />);
    expect(empty).toContain('aria-busy="true"');
    expect(empty).toContain('role="status"');
  });
});

describe('overflowTitle: a cut-off cell shows its whole text on hover', () => {
  const box = (scrollWidth: number, clientWidth: number, textContent: string | null = 'x') => ({
    scrollWidth,
    clientWidth,
    textContent,
  });

  it.each<[string, ReturnType<typeof box>, ReturnType<typeof box>[], string | undefined]>([
    ['a cell cut off', box(300, 120, 'Cassidy Tromp-Smitham'), [], 'Cassidy Tromp-Smitham'],
    ['a cell that fits', box(100, 120, 'Ada'), [], undefined],
    ['a part cut off (a badge)', box(120, 120, 'Marketing Qualified'), [box(140, 110)], 'Marketing Qualified'],
    ['name and email, spaces folded', box(400, 160, '  Ada\n Lovelace  ada@x.io '), [], 'Ada Lovelace ada@x.io'],
    ['an empty cell cut off', box(300, 120, '   '), [], undefined],
    ['no text at all', box(300, 120, null), [], undefined],
  ])('%s', (_name, cell, parts, expected) => {
    expect(overflowTitle(cell, parts)).toBe(expected);
  });
});

describe('an empty list’s next step', () => {
  it('offers "Clear filters" while a filter hides every record, and only then', () => {
    const filtered = renderToStaticMarkup(<EmptyList text="No contacts match these filters." onClear={() => {}} />);
    expect(filtered).toContain('No contacts match these filters.');
    expect(filtered).toMatch(/<button[^>]*>Clear filters<\/button>/);
    const unfiltered = renderToStaticMarkup(<EmptyList text="No contacts match." />);
    expect(unfiltered).not.toContain('Clear filters');
  });
});
