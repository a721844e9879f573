/**
 * Composition root of the main process: wires the hardened window, the renderer protocol and the
 * validated IPC handlers. Logic lives in the modules it imports, most of them Electron-free.
 */
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, safeStorage, session } from 'electron';
import { createHandlers } from './ipc/handlers';
import { IPC_ARG_SCHEMAS } from './ipc/ipc-args';
import { registerHandlers } from './ipc/register-handlers';
import { registerAppScheme, serveRenderer } from './protocol/app-protocol';
import { buildCsp, type CspOptions, LOCAL_SERVER_SOURCES } from './security/csp';
import { applyCspHeader, hardenApp, restrictPermissions } from './security/harden';
import { serverSources, sourcesAllowOrigin } from './security/server-origins';
import { createServerTrust, trustDialogOptions } from './security/trust-server';
import { APP_ORIGIN, isAppUrl, originOf } from './security/trusted-url';
import { createExportService } from './services/export/export-service';
import { saveDialogOptions } from './services/export/save-dialog';
import { buildMenuTemplate, type KeyPress } from './services/menu';
import { createDatabaseKeyFile } from './session/database-key-file';
import { createSessionFile, safeStorageCipher } from './session/session-file';
import { createTrustedServersFile } from './session/trusted-servers-file';
import { createMainWindow } from './windows/main-window';

// electron-vite sets ELECTRON_RENDERER_URL for `electron-vite dev`. A packaged app ignores it, so
// an environment variable cannot point the trusted window at another site.
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const devServerOrigin = devServerUrl ? (originOf(devServerUrl) ?? undefined) : undefined;
const appOrigins = devServerOrigin ? [devServerOrigin] : [APP_ORIGIN];
/** The CSP, once the stored session has told which server the user last signed in to (and which were trusted). */
function cspOptionsFor(lastServerUrl: string | undefined, trusted: readonly string[]): CspOptions {
  const connectSources = [
    ...LOCAL_SERVER_SOURCES,
    ...serverSources([process.env.FIELDCRM_SYNC_URL, lastServerUrl, ...trusted]),
  ];
  return devServerOrigin
    ? { mode: 'development', devServerOrigin, connectSources }
    : { mode: 'production', connectSources };
}

let mainWindow: BrowserWindow | null = null;

function showMainWindow(): void {
  if (mainWindow && !mainWindow.isDestroyed()) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
    return;
  }
  mainWindow = createMainWindow({
    url: devServerUrl ?? `${APP_ORIGIN}/index.html`,
    preloadPath: join(import.meta.dirname, '../preload/index.cjs'),
    devTools: !app.isPackaged,
  });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

/** A menu command reaches the page as the key press the renderer binds to it. */
function pressInFocusedWindow({ key, modifiers }: KeyPress): void {
  const contents = BrowserWindow.getFocusedWindow()?.webContents;
  if (!contents) return;
  for (const type of ['keyDown', 'keyUp'] as const)
    contents.sendInputEvent({ type, keyCode: key, modifiers: [...modifiers] });
}

async function start(): Promise<void> {
  await app.whenReady();
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate({
        platform: process.platform,
        appName: app.getName(),
        isDev: !app.isPackaged,
        press: pressInFocusedWindow,
      }),
    ),
  );
  const cipher = safeStorageCipher(safeStorage, process.platform);
  const sessionFile = createSessionFile({ path: join(app.getPath('userData'), 'session.bin'), cipher });
  const trustedServers = createTrustedServersFile({ path: join(app.getPath('userData'), 'trusted-servers.json') });
  let cspOptions = cspOptionsFor((await sessionFile.load())?.serverUrl, await trustedServers.load());
  if (!devServerUrl) serveRenderer(join(import.meta.dirname, '../renderer'), () => buildCsp(cspOptions));
  applyCspHeader(session.defaultSession, appOrigins, () => cspOptions);
  const trustServer = createServerTrust({
    isAllowed: async (origin) => sourcesAllowOrigin(cspOptions.connectSources ?? [], origin),
    confirm: async (origin) => {
      const window = BrowserWindow.getFocusedWindow() ?? mainWindow;
      const options = trustDialogOptions(origin);
      const { response } = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
      return response === 1;
    },
    remember: async (origin) => {
      await trustedServers.add(origin);
    },
    apply: async () => {
      cspOptions = cspOptionsFor((await sessionFile.load())?.serverUrl, await trustedServers.load());
      // After the IPC answer has reached the page: a policy holds for the document's life.
      setTimeout(() => mainWindow?.webContents.reload(), 100);
    },
  });
  restrictPermissions(session.defaultSession, appOrigins);
  const exports = createExportService({
    chooseFile: async (format, suggestedName) => {
      const options = saveDialogOptions(format, app.getPath('downloads'), suggestedName);
      const window = BrowserWindow.getFocusedWindow();
      const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return result.canceled ? undefined : result.filePath;
    },
  });
  // A quit in the middle of an export leaves no partial file.
  app.on('will-quit', () => void exports.cancelAll());
  registerHandlers(ipcMain, {
    handlers: createHandlers({
      getVersion: () => app.getVersion(),
      platform: process.platform,
      sessionFile,
      databaseKeyFile: createDatabaseKeyFile({
        dir: join(app.getPath('userData'), 'database-keys'),
        legacyPath: join(app.getPath('userData'), 'database-key.bin'),
        cipher,
      }),
      exports,
      trustServer,
    }),
    argSchemas: IPC_ARG_SCHEMAS,
    isTrustedUrl: (url) => isAppUrl(url, appOrigins),
  });
  showMainWindow();
}

// A second launch focuses the running window: two instances would open the same IndexedDB and
// replicate twice.
if (app.requestSingleInstanceLock()) {
  app.enableSandbox();
  registerAppScheme();
  hardenApp({ appOrigins });
  const showWhenReady = (): void => {
    if (app.isReady()) showMainWindow();
  };
  app.on('second-instance', showWhenReady);
  app.on('activate', showWhenReady);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  start().catch((error: unknown) => {
    console.error('[main] startup failed:', error);
    app.exit(1);
  });
} else {
  app.quit();
}
