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
