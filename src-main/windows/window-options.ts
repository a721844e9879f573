import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/**
 * The main window's options as a pure function, so tests/unit/src-main/windows checks the
 * hardening without starting Electron (type-only import above: nothing of Electron loads here).
 * See Electron's security checklist: https://www.electronjs.org/docs/latest/tutorial/security
 */
export interface WindowOptionsInput {
  /** Absolute path of the CommonJS preload (a sandboxed preload cannot be an ES module). */
  readonly preloadPath: string;
  /** DevTools stay available in development and are off in packaged builds. */
  readonly devTools: boolean;
}

export function buildWebPreferences(input: WindowOptionsInput): WebPreferences {
  return {
    preload: input.preloadPath,
    // The renderer gets no Node: the page and the preload run in separate JS worlds, the renderer
    // process is OS-sandboxed, and only `window.crm` crosses over through contextBridge.
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: true,
    devTools: input.devTools,
  };
}

export function buildMainWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 900,
    minHeight: 600,
    title: 'FieldCRM',
    // Shown on `ready-to-show` to avoid a white flash while the renderer boots.
    show: false,
    webPreferences: buildWebPreferences(input),
  };
}
