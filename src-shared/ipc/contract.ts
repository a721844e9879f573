/**
 * The typed map of every call the renderer may make into the main process (one command map across
 * the process boundary, as Actual Budget does in `loot-core/src/types/handlers.ts`). The preload
 * exposes exactly these channels as `window.crm.<area>.<verb>()`, and the main process registers a
 * validated handler for each; adding a channel here makes both sides fail to type-check until they
 * handle it.
 *
 * Pure types and channel names only: this file is bundled into the sandboxed preload, which can
 * `require` nothing but a few Electron modules.
 */

/** Channel names are `crm:<area>.<verb>`; the area and verb become `window.crm.<area>.<verb>`. */
export type ChannelName = `crm:${string}.${string}`;

export interface AppInfo {
  /** The app's version from package.json. */
  readonly version: string;
  /** Node's `process.platform` of the main process, e.g. `linux`, `darwin`, `win32`. */
  readonly platform: string;
}

/** Who signed in on this device, as the server answered it at sign-in. */
export interface SessionUser {
  readonly id: string;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly roleId: string;
}

/** The credentials of a sign-in. */
export interface SessionTokens {
  readonly accessToken: string;
  /**
   * When the access token expires by this device's clock (ISO): the token's lifetime added to the
   * moment it arrived, so a device clock that is off does not make every token look expired.
   */
  readonly accessTokenExpiresAt: string;
  readonly refreshToken: string;
}

/**
 * The last session, kept so the app reopens offline under it. `tokens` is null once the server has
 * refused the refresh token (the user must sign in again; the user and local data stay).
 */
export interface StoredSession {
  readonly serverUrl: string;
  readonly user: SessionUser;
  readonly tokens: SessionTokens | null;
}

/** Channel → the argument tuple the renderer passes and the result it receives. */
export interface IpcContract {
  'crm:app.getInfo': { args: []; result: AppInfo };
  /** The stored session, decrypted; null when there is none or it cannot be read. */
  'crm:session.load': { args: []; result: StoredSession | null };
  /** Replaces the stored session (encrypted with the OS keychain's key). */
  'crm:session.save': { args: [session: StoredSession]; result: undefined };
  'crm:session.clear': { args: []; result: undefined };
}

export type IpcChannel = keyof IpcContract & ChannelName;
export type IpcArgs<C extends IpcChannel> = IpcContract[C]['args'];
export type IpcResult<C extends IpcChannel> = IpcContract[C]['result'];

/**
 * One entry per channel: the mapped type makes this object fail to compile when a channel is added
 * to the contract but not here, so the runtime list below cannot drift from the types.
 */
const CHANNEL_SET: { readonly [C in IpcChannel]: true } = {
  'crm:app.getInfo': true,
  'crm:session.load': true,
  'crm:session.save': true,
  'crm:session.clear': true,
};

export function isIpcChannel(value: unknown): value is IpcChannel {
  return typeof value === 'string' && Object.hasOwn(CHANNEL_SET, value);
}

export const IPC_CHANNELS: readonly IpcChannel[] = Object.freeze(Object.keys(CHANNEL_SET).filter(isIpcChannel));
