import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';

/**
 * The states of a log read from the sync server (a workflow's runs, a webhook's deliveries): why it
 * could not be read (as an alert), loading, empty, else the rows.
 */
export function ServerLogBody<Row>({
  query,
  name,
  loading,
  empty,
  children,
}: {
  query: UseQueryResult<readonly Row[]>;
  /** Capitalised, as it starts the error: "The run log". */
  name: string;
  loading: string;
  empty: string;
  children: (rows: readonly Row[]) => ReactNode;
}) {
  if (query.isError)
    return (
      <p className="error" role="alert">
        {name} could not be read: {query.error.message}
      </p>
    );
  if (!query.data) return <p className="muted">{loading}</p>;
  if (query.data.length === 0) return <p className="muted">{empty}</p>;
  return children(query.data);
}

/** A server log heading's Refresh link: disabled, and saying so, while the log is read again. */
export function RefreshLink({ fetching, onClick }: { fetching: boolean; onClick: () => void }) {
  return (
    <button type="button" className="link" disabled={fetching} onClick={onClick}>
      {fetching ? 'Refreshing…' : 'Refresh'}
    </button>
  );
}
