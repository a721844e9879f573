/**
 * Composition root of the main process: wires the hardened window, the renderer protocol and the
 * validated IPC handlers. Logic lives in the modules it imports, most of them Electron-free.
 */
import { join } from 'node:path';
import { app, type BrowserWindow, ipcMain, safeStorage, session } from 'electron';
import { createHandlers } from './ipc/handlers';
import { IPC_ARG_SCHEMAS } from './ipc/ipc-args';
import { registerHandlers } from './ipc/register-handlers';
import { registerAppScheme, serveRenderer } from './protocol/app-protocol';
import { buildCsp, type CspOptions, LOCAL_SERVER_SOURCES } from './security/csp';
import { applyCspHeader, hardenApp, restrictPermissions } from './security/harden';
import { APP_ORIGIN, isAppUrl, originOf } from './security/trusted-url';
import { createSessionFile, safeStorageCipher } from './session/session-file';
import { createMainWindow } from './windows/main-window';

// electron-vite sets ELECTRON_RENDERER_URL for `electron-vite dev`. A packaged app ignores it, so
// an environment variable cannot point the trusted window at another site.
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const devServerOrigin = devServerUrl ? (originOf(devServerUrl) ?? undefined) : undefined;
const appOrigins = devServerOrigin ? [devServerOrigin] : [APP_ORIGIN];
const cspOptions: CspOptions = devServerOrigin
  ? { mode: 'development', devServerOrigin, connectSources: LOCAL_SERVER_SOURCES }
  : { mode: 'production', connectSources: LOCAL_SERVER_SOURCES };

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

async function start(): Promise<void> {
  await app.whenReady();
  if (!devServerUrl) serveRenderer(join(import.meta.dirname, '../renderer'), buildCsp(cspOptions));
  applyCspHeader(session.defaultSession, appOrigins, cspOptions);
  restrictPermissions(session.defaultSession, appOrigins);
  registerHandlers(ipcMain, {
    handlers: createHandlers({
      getVersion: () => app.getVersion(),
      platform: process.platform,
      sessionFile: createSessionFile({
        path: join(app.getPath('userData'), 'session.bin'),
        cipher: safeStorageCipher(safeStorage, process.platform),
      }),
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
