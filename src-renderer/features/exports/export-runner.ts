import { onDemand } from '../../ui/on-demand';

/**
 * The code that writes an export (run-export, the file sinks), for export dialogs of other features
 * (the audit log's): fetched on demand like the dialogs here, so that no screen's first paint
 * parses it; preloaded with every on-demand chunk (ui/on-demand.ts).
 */
export const loadExportRunner = onDemand(async () => {
  const [{ exportTable }, { openSink }] = await Promise.all([import('./run-export'), import('./export-sinks')]);
  return { exportTable, openSink };
});
