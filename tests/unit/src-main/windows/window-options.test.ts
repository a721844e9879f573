import { describe, expect, it } from 'vitest';
import { buildMainWindowOptions, buildWebPreferences } from '../../../../src-main/windows/window-options';

const input = { preloadPath: '/app/out/preload/index.cjs', devTools: false };

describe('main window hardening', () => {
  const prefs = buildWebPreferences(input);

  it('isolates the renderer from Node and Electron', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps the web security model on', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.navigateOnDragDrop).toBe(false);
  });

  it('loads the CommonJS preload, the only kind a sandboxed window runs', () => {
    expect(prefs.preload).toBe(input.preloadPath);
    expect(prefs.preload).toMatch(/\.cjs$/);
  });

  it('passes devTools through (off when packaged)', () => {
    expect(prefs.devTools).toBe(false);
    expect(buildWebPreferences({ ...input, devTools: true }).devTools).toBe(true);
  });

  it('does not weaken anything through options it does not mention', () => {
    const allowed = new Set([
      'preload',
      'contextIsolation',
      'sandbox',
      'nodeIntegration',
      'nodeIntegrationInWorker',
      'nodeIntegrationInSubFrames',
      'webSecurity',
      'allowRunningInsecureContent',
      'experimentalFeatures',
      'webviewTag',
      'navigateOnDragDrop',
      'safeDialogs',
      'spellcheck',
      'devTools',
    ]);
    expect(Object.keys(prefs).filter((key) => !allowed.has(key))).toEqual([]);
  });

  it('embeds the same preferences in the window options, hidden until ready', () => {
    const options = buildMainWindowOptions(input);
    expect(options.webPreferences).toEqual(prefs);
    expect(options.show).toBe(false);
  });
});
