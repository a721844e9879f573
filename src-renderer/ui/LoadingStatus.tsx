import { useEffect, useState } from 'react';
import './loading-status.css';

/**
 * What a lazily loaded part of the app shows while its code is fetched: a polite status line, visible
 * (and so announced) only after a short delay, so that a fast load does not flash it.
 */
export function LoadingStatus({ what }: { what: string }) {
  return (
    <p className="loading-status" role="status">
      Loading {what}…
    </p>
  );
}

/**
 * How long a list may be busy (a filter's rows on their way, the previous filter's still shown)
 * before it says so: a switch answered from the read-ahead cache takes a frame or two and shows
 * nothing, so it does not flash; one that reads (a lead source: 1–2 s) says "Updating…".
 */
export const UPDATING_DELAY_MS = 150;

/**
 * Calls `show(true)` once `on` has held for `delayMs`, `show(false)` at once when it is off.
 * Returns the cancel of the wait (an effect's cleanup: a new `on` starts again).
 */
export function showAfter(
  on: boolean,
  delayMs: number,
  show: (shown: boolean) => void,
  timers: Pick<typeof globalThis, 'setTimeout' | 'clearTimeout'> = globalThis,
): () => void {
  if (!on) {
    show(false);
    return () => {};
  }
  const timer = timers.setTimeout(() => show(true), delayMs);
  return () => timers.clearTimeout(timer);
}

/** `on`, once it has held for `delayMs`; false at once when it goes off (so never a stale "true"). */
export function useShownAfter(on: boolean, delayMs = UPDATING_DELAY_MS): boolean {
  const [shown, setShown] = useState(false);
  useEffect(() => showAfter(on, delayMs, setShown), [on, delayMs]);
  return on && shown;
}

/**
 * A list's "Updating…" line: always in the page as a polite live region (so that its text is
 * announced when it appears), with text only while `shown` (useShownAfter of the list's busy).
 */
export function UpdatingStatus({ shown }: { shown: boolean }) {
  return (
    <p className="list-updating" role="status">
      {shown && <span>Updating…</span>}
    </p>
  );
}
