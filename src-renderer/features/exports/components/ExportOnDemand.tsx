import { type ReactNode, Suspense } from 'react';

/**
 * An export dialog fetched on demand: usually there at once (a local file, or preloaded); else a
 * word beside the Export button meanwhile.
 */
export function ExportOnDemand({ children }: { children: ReactNode }) {
  return (
    <Suspense
      fallback={
        <span className="muted" role="status">
          Opening export…
        </span>
      }
    >
      {children}
    </Suspense>
  );
}
