import { BrowserWindow } from 'electron';
import { buildMainWindowOptions, type WindowOptionsInput } from './window-options';

export interface MainWindowInput extends WindowOptionsInput {
  /** What to show: the dev server URL in development, the app protocol's index page when packaged. */
  readonly url: string;
}

/**
 * Creates the single application window. Navigation and window-open guards are installed for every
 * web contents in src-main/security/harden.ts, so this stays about the window itself.
 */
export function createMainWindow(input: MainWindowInput): BrowserWindow {
  const window = new BrowserWindow(buildMainWindowOptions(input));
  window.once('ready-to-show', () => window.show());
  window.loadURL(input.url).catch((error: unknown) => {
    console.error(`[main-window] could not load ${input.url}:`, error);
  });
  return window;
}
