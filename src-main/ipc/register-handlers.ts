import { IPC_CHANNELS, type IpcChannel } from '../../src-shared/ipc/contract';
import type { IpcHandlers } from './handlers';
import type { IpcArgSchemas } from './ipc-args';

/**
 * The slice of Electron's `ipcMain` and its invoke event this module uses, so that tests drive it
 * with a fake instead of Electron (`ipcMain` satisfies it structurally).
 */
export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
}
export interface InvokeEvent {
  readonly senderFrame: SenderFrame | null;
}
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => unknown): void;
}

export type IpcRejectReason = 'no-sender-frame' | 'subframe' | 'untrusted-origin' | 'invalid-arguments';

export class IpcRejectedError extends Error {
  override readonly name = 'IpcRejectedError';
  constructor(
    readonly channel: string,
    readonly reason: IpcRejectReason,
    readonly detail = '',
  ) {
    super(`IPC call ${channel} rejected: ${reason}${detail ? ` (${detail})` : ''}`);
  }
}

/**
 * Why a call must be refused, or null. Following VS Code's `validatedIpcMain`: only the top-level
 * frame of one of our own pages may call; an iframe or a page the window was navigated to (should
 * the navigation guards ever fail) may not.
 */
export function senderRejection(event: InvokeEvent, isTrustedUrl: (url: string) => boolean): IpcRejectReason | null {
  const frame = event.senderFrame;
  if (!frame) return 'no-sender-frame';
  if (frame.parent !== null) return 'subframe';
  if (!isTrustedUrl(frame.url)) return 'untrusted-origin';
  return null;
}

export interface RegisterOptions {
  readonly handlers: IpcHandlers;
  readonly argSchemas: IpcArgSchemas;
  readonly isTrustedUrl: (url: string) => boolean;
}

function registerChannel<C extends IpcChannel>(ipcMain: IpcMainLike, channel: C, options: RegisterOptions): void {
  const handler = options.handlers[channel];
  const schema = options.argSchemas[channel];
  ipcMain.handle(channel, async (event, ...args) => {
    const rejection = senderRejection(event, options.isTrustedUrl);
    if (rejection) {
      console.warn(`[ipc] ${channel} from ${event.senderFrame?.url ?? 'unknown frame'} rejected: ${rejection}`);
      throw new IpcRejectedError(channel, rejection);
    }
    const parsed = schema.safeParse(args);
    if (!parsed.success) {
      throw new IpcRejectedError(channel, 'invalid-arguments', parsed.error.issues.map((i) => i.message).join('; '));
    }
    return handler(...parsed.data);
  });
}

/** Registers a validated handler for every channel of the contract, and for nothing else. */
export function registerHandlers(ipcMain: IpcMainLike, options: RegisterOptions): void {
  for (const channel of IPC_CHANNELS) registerChannel(ipcMain, channel, options);
}
