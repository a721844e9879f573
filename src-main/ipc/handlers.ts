import type { IpcArgs, IpcChannel, IpcResult } from '../../src-shared/ipc/contract';
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
}

export function createHandlers(deps: HandlerDeps): IpcHandlers {
  return {
    'crm:app.getInfo': () => ({ version: deps.getVersion(), platform: deps.platform }),
    'crm:session.load': () => deps.sessionFile.load(),
    'crm:session.save': (session) => deps.sessionFile.save(session).then(() => undefined),
    'crm:session.clear': () => deps.sessionFile.clear().then(() => undefined),
  };
}
