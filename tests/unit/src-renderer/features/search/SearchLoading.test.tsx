import { isValidElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SearchLoading } from '../../../../../src-renderer/features/search/SearchLoading';
import { type SearchCodeStore, searchCodeStore } from '../../../../../src-renderer/features/search/search-code';
import { onDemand } from '../../../../../src-renderer/ui/on-demand';

const noop = () => {};
/** Lets the fake load's promise and the store's handlers run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function textOf(node: ReactNode): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join('');
  if (isValidElement<{ children?: ReactNode }>(node)) return textOf(node.props.children);
  return '';
}

/** The click handler of the `<button>` reading `text` in a rendered tree, if there is one. */
function buttonClick(node: ReactNode, text: string): (() => void) | undefined {
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = buttonClick(child, text);
      if (found) return found;
    }
    return undefined;
  }
  if (!isValidElement<{ children?: ReactNode; onClick?: () => void }>(node)) return undefined;
  if (node.type === 'button' && textOf(node.props.children) === text) return node.props.onClick;
  return buttonClick(node.props.children, text);
}

interface FrameProps {
  store: SearchCodeStore<unknown>;
  /** Receives the Try again button's click handler (undefined when there is no such button). */
  onTryAgain: (click: (() => void) | undefined) => void;
}

/**
 * The frame as SearchLauncher draws it before the palette's code is here: the store's error, and
 * Try again wired to its `want`. There is no DOM in unit tests, so the button is "clicked" by
 * calling the onClick of the element SearchLoading rendered.
 */
function Frame({ store, onTryAgain }: FrameProps) {
  const tree = SearchLoading({
    query: 'acme',
    onQueryChange: noop,
    onClose: noop,
    error: store.get().error,
    onRetry: store.want,
  });
  onTryAgain(buttonClick(tree, 'Try again'));
  return tree;
}

function renderFrame(store: SearchCodeStore<unknown>): { html: string; tryAgain: (() => void) | undefined } {
  let tryAgain: (() => void) | undefined;
  const html = renderToStaticMarkup(<Frame store={store} onTryAgain={(click) => (tryAgain = click)} />);
  return { html, tryAgain };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the search frame when the palette’s chunk does not load', () => {
  it('says so with a Try again button, and Try again loads the palette', async () => {
    vi.spyOn(console, 'warn').mockImplementation(noop);
    const palette = { SearchPalette: 'the palette' };
    const load = vi
      .fn<() => Promise<typeof palette>>()
      .mockRejectedValueOnce(new TypeError('Failed to fetch dynamically imported module'))
      .mockResolvedValue(palette);
    // Through the real on-demand wrapper, as loadSearchCode is: a failed fetch must not stick.
    const store = searchCodeStore(onDemand(load));
    const changed = vi.fn();
    store.subscribe(changed);

    expect(renderFrame(store).html).toContain('Opening search…');
    store.want();
    await settle();

    const failed = renderFrame(store);
    expect(failed.html).toContain('aria-busy="false"');
    expect(failed.html).toContain('<strong>Search could not be opened</strong>');
    expect(failed.html).toContain('Its code did not load (Failed to fetch dynamically imported module).');
    expect(failed.html).toContain('<button type="button" class="link-button">Try again</button>');
    // What was typed stays in the box.
    expect(failed.html).toContain('value="acme"');
    expect(store.get().code).toBeUndefined();
    expect(changed).toHaveBeenCalled();

    expect(failed.tryAgain).toBeTypeOf('function');
    failed.tryAgain?.();
    // At once: the frame is opening again, not still showing the old failure.
    expect(renderFrame(store).html).toContain('Opening search…');
    changed.mockClear();
    await settle();

    expect(load).toHaveBeenCalledTimes(2);
    expect(store.get()).toEqual({ code: palette, error: undefined });
    // The launcher re-renders (useSyncExternalStore) and shows the palette instead of the frame.
    expect(changed).toHaveBeenCalled();
  });

  it('a Try again that fails too says so again, and the next one still tries', async () => {
    vi.spyOn(console, 'warn').mockImplementation(noop);
    const load = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(new Error('offline'))
      .mockRejectedValueOnce(new Error('still offline'))
      .mockResolvedValue('palette');
    const store = searchCodeStore(onDemand(load));

    store.want();
    await settle();
    renderFrame(store).tryAgain?.();
    await settle();
    const again = renderFrame(store);
    expect(again.html).toContain('Its code did not load (still offline).');

    again.tryAgain?.();
    await settle();
    expect(load).toHaveBeenCalledTimes(3);
    expect(store.get().code).toBe('palette');
  });
});
