import type { IpcArgs, IpcChannel, IpcResult } from '../../src-shared/ipc/contract';
import type { TrustResult } from '../security/trust-server';
import { createExportService, type ExportService } from '../services/export/export-service';
import type { DatabaseKeyFile } from '../session/database-key-file';
import type { SessionFile } from '../session/session-file';

/** One implementation per contract channel, called only with validated arguments. */
export type IpcHandlers = {
  readonly [C in IpcChannel]: (...args: IpcArgs<C>) => IpcResult<C> | Promise<IpcResult<C>>;
};

/** What the handlers need from Electron and the process, injected so tests pass plain values. */
export interface HandlerDeps {
  readonly getVersion: () => string;
  readonly platform: string;
  /** Where the last session is kept (encrypted with safeStorage in the app). */
  readonly sessionFile: SessionFile;
  readonly databaseKeyFile: DatabaseKeyFile;
  /** Export files: the save dialog and the streaming writers (default: a save dialog that is always cancelled). */
  readonly exports?: ExportService;
  /** The "trust this server" flow (security/trust-server.ts); default: nothing is trusted. */
  readonly trustServer?: (origin: string) => Promise<TrustResult>;
}

export function createHandlers(deps: HandlerDeps): IpcHandlers {
  const exports = deps.exports ?? createExportService({ chooseFile: async () => undefined });
  return {
    'crm:app.getInfo': () => ({ version: deps.getVersion(), platform: deps.platform }),
    'crm:session.load': () => deps.sessionFile.load(),
    'crm:session.save': (session) => deps.sessionFile.save(session).then(() => undefined),
    'crm:session.clear': () => deps.sessionFile.clear().then(() => undefined),
    'crm:session.trustServer': (origin) => deps.trustServer?.(origin) ?? { trusted: false, reloading: false },
    'crm:keys.databaseKey': (databaseName, existing) => deps.databaseKeyFile.get(databaseName, existing),
    'crm:keys.forgetDatabaseKey': (databaseName, others) =>
      deps.databaseKeyFile.forget(databaseName, others).then(() => undefined),
    'crm:export.chooseFile': (format, name) => exports.chooseFile(format, name),
    'crm:export.begin': (path, meta) => exports.begin(path, meta),
    'crm:export.append': (exportId, chunk) => exports.append(exportId, chunk),
    'crm:export.finish': (exportId) => exports.finish(exportId),
    'crm:export.cancel': (exportId) => exports.cancel(exportId),
  };
}
