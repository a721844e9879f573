import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ERROR_MIN_MS, MAX_TOASTS, toast, useToasts } from '../../../../src-renderer/ui/toasts';

const shown = () => useToasts.getState().toasts.map((t) => t.message);
const waiting = () => useToasts.getState().waiting.map((w) => w.toast.message);

describe('toasts: at most three on screen, an error kept for its minimum time', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    useToasts.setState({ toasts: [], waiting: [] });
  });
  afterEach(() => vi.useRealTimers());

  it('shows at most three; a new one pushes out the oldest', () => {
    for (const n of [1, 2, 3, 4, 5]) toast({ message: `saved ${n}`, tone: 'info' });
    expect(MAX_TOASTS).toBe(3);
    expect(shown()).toEqual(['saved 3', 'saved 4', 'saved 5']);
    expect(waiting()).toEqual([]);
  });

  it('info toasts push out older info ones, not an error shown for less than its minimum', () => {
    toast({ message: 'could not save: email is invalid', tone: 'error' });
    vi.advanceTimersByTime(100);
    for (const n of [1, 2, 3, 4]) toast({ message: `saved ${n}`, tone: 'info' });
    expect(shown()).toEqual(['could not save: email is invalid', 'saved 3', 'saved 4']);
    expect(shown()).toHaveLength(3);
  });

  it('with only fresh errors on screen a new toast waits, and is shown once the oldest error has had its time', () => {
    for (const n of [1, 2, 3]) {
      toast({ message: `error ${n}`, tone: 'error' }, 60_000);
      vi.advanceTimersByTime(500);
    }
    toast({ message: 'saved', tone: 'info' }, 1000);
    expect(shown()).toEqual(['error 1', 'error 2', 'error 3']);
    expect(waiting()).toEqual(['saved']);
    // error 1 was shown 1500 ms ago: it stays until ERROR_MIN_MS.
    vi.advanceTimersByTime(ERROR_MIN_MS - 1500 - 1);
    expect(waiting()).toEqual(['saved']);
    vi.advanceTimersByTime(1);
    expect(shown()).toEqual(['error 2', 'error 3', 'saved']);
    // Its time on screen starts when it is shown, not when it was asked for.
    vi.advanceTimersByTime(999);
    expect(shown()).toContain('saved');
    vi.advanceTimersByTime(1);
    expect(shown()).toEqual(['error 2', 'error 3']);
  });

  it('a dismissed toast frees its place for one waiting; dismissing an unknown id changes nothing', () => {
    for (const n of [1, 2, 3]) toast({ message: `error ${n}`, tone: 'error' }, 60_000);
    toast({ message: 'saved', tone: 'info' });
    const before = useToasts.getState();
    useToasts.getState().dismiss(-1);
    expect(shown()).toEqual(before.toasts.map((t) => t.message));
    expect(waiting()).toEqual(['saved']);
    const first = useToasts.getState().toasts[0];
    useToasts.getState().dismiss(first?.id ?? -1);
    expect(shown()).toEqual(['error 2', 'error 3', 'saved']);
  });

  it('each toast still closes after its own time', () => {
    toast({ message: 'saved', tone: 'info' });
    toast({ message: 'deleted', tone: 'info', action: { label: 'Undo', run: () => {} } });
    vi.advanceTimersByTime(4000);
    expect(shown()).toEqual(['deleted']);
    vi.advanceTimersByTime(4000);
    expect(shown()).toEqual([]);
  });
});
