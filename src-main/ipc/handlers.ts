import type { IpcArgs, IpcChannel, IpcResult } from '../../src-shared/ipc/contract';

/** One implementation per contract channel, called only with validated arguments. */
export type IpcHandlers = {
  readonly [C in IpcChannel]: (...args: IpcArgs<C>) => IpcResult<C> | Promise<IpcResult<C>>;
};

/** What the handlers need from Electron and the process, injected so tests pass plain values. */
export interface HandlerDeps {
  readonly getVersion: () => string;
  readonly platform: string;
}

export function createHandlers(deps: HandlerDeps): IpcHandlers {
  return {
    'crm:app.getInfo': () => ({ version: deps.getVersion(), platform: deps.platform }),
  };
}
