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

/** An export's file format (src-shared/export re-exports these plain types with their schemas). */
export type ExportFileFormat = 'csv' | 'xlsx' | 'pdf' | 'json';

export interface ExportFileColumn {
  /** The record's field (`customFields.<key>` for a custom field). */
  readonly key: string;
  readonly header: string;
  readonly type: 'text' | 'number' | 'money' | 'date' | 'datetime' | 'boolean';
}

/** One cell: text (dates as `YYYY-MM-DD`, times ISO), a number, a boolean, money in major units, or empty. */
export type ExportFileCell = string | number | boolean | null | { readonly amount: number; readonly currency: string };

/** What an export file says about itself, and its sections (a sheet each in XLSX). */
export interface ExportFileMeta {
  readonly format: ExportFileFormat;
  readonly title: string;
  readonly entity: string;
  readonly filters: readonly { readonly label: string; readonly value: string }[];
  /** When the device last synced (ISO); null when it never has. */
  readonly asOf: string | null;
  readonly exportedAt: string;
  readonly sections: readonly { readonly name: string; readonly columns: readonly ExportFileColumn[] }[];
  /** Pictures printed above the tables (a report's chart, PNG drawn in the page); PDF only. */
  readonly images?: readonly ExportFileImage[];
}

/** A PNG as base64 (no `data:` prefix) with its size in CSS pixels, which sets its aspect ratio. */
export interface ExportFileImage {
  readonly title: string;
  readonly png: string;
  readonly width: number;
  readonly height: number;
}

/** Rows of one section; sections arrive in order. */
export interface ExportFileChunk {
  readonly section: number;
  readonly rows: readonly (readonly ExportFileCell[])[];
}

/** Channel → the argument tuple the renderer passes and the result it receives. */
export interface IpcContract {
  'crm:app.getInfo': { args: []; result: AppInfo };
  /** The stored session, decrypted; null when there is none or it cannot be read. */
  'crm:session.load': { args: []; result: StoredSession | null };
  /** Replaces the stored session (encrypted with the OS keychain's key). */
  'crm:session.save': { args: [session: StoredSession]; result: undefined };
  'crm:session.clear': { args: []; result: undefined };
  /**
   * Asks to reach a sync server the CSP does not allow yet (an http(s) origin, nothing more): main
   * names it in a native dialog and, on a yes, stores it, rebuilds the CSP and reloads the window.
   */
  'crm:session.trustServer': { args: [origin: string]; result: { trusted: boolean; reloading: boolean } };
  /**
   * The key that encrypts personal fields of one local database, kept in the OS keychain; null
   * where the OS has no keychain (the renderer then derives one from the user's password).
   * `existing`: the database is already on the device (it may use the profile's key of before).
   */
  'crm:keys.databaseKey': { args: [databaseName: string, existing: boolean]; result: string | null };
  /** Deletes a wiped database's key; `otherDatabases`: the local databases still on the device. */
  'crm:keys.forgetDatabaseKey': { args: [databaseName: string, otherDatabases: string[]]; result: undefined };
  /**
   * Exports (written here, streamed from the renderer): the native save dialog returns the path
   * (null when cancelled); `begin` accepts only a path that dialog returned, once; rows arrive in
   * chunks; `finish` moves the file into place; `cancel` deletes what was written.
   */
  'crm:export.chooseFile': { args: [format: ExportFileFormat, suggestedName: string]; result: string | null };
  'crm:export.begin': { args: [path: string, meta: ExportFileMeta]; result: { exportId: string } };
  'crm:export.append': { args: [exportId: string, chunk: ExportFileChunk]; result: { rows: number } };
  'crm:export.finish': { args: [exportId: string]; result: { path: string; rows: number } };
  'crm:export.cancel': { args: [exportId: string]; result: { cancelled: boolean } };
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
  'crm:session.trustServer': true,
  'crm:keys.databaseKey': true,
  'crm:keys.forgetDatabaseKey': true,
  'crm:export.chooseFile': true,
  'crm:export.begin': true,
  'crm:export.append': true,
  'crm:export.finish': true,
  'crm:export.cancel': true,
};

export function isIpcChannel(value: unknown): value is IpcChannel {
  return typeof value === 'string' && Object.hasOwn(CHANNEL_SET, value);
}

export const IPC_CHANNELS: readonly IpcChannel[] = Object.freeze(Object.keys(CHANNEL_SET).filter(isIpcChannel));
