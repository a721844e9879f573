import type { MenuItemConstructorOptions } from 'electron';

/**
 * The application menu as a pure template (type-only Electron import), so a test checks it without
 * Electron. Editing, view and window items use Electron's roles, which bring the platform's usual
 * shortcuts. App commands (search, screens) are keys the renderer already handles: their menu
 * items show the accelerator without registering it (`registerAccelerator: false`), so the key
 * still reaches the page, and a click sends the page that same key. No IPC channel is needed.
 */

/** A key press the renderer handles, e.g. `{ key: 'K', modifiers: ['control'] }`. */
export interface KeyPress {
  readonly key: string;
  readonly modifiers: readonly ('control' | 'meta' | 'alt' | 'shift')[];
}

export interface MenuOptions {
  readonly platform: string;
  readonly appName: string;
  /** Reload and DevTools only in development. */
  readonly isDev: boolean;
  /** Delivers a key press to the focused window's page. */
  readonly press: (key: KeyPress) => void;
}

/** Screens in sidebar order with the Alt+key the renderer binds (src-renderer/app/screens.tsx). */
export const GO_ITEMS: readonly { label: string; key: string }[] = [
  { label: 'Dashboard', key: 'D' },
  { label: 'Leads', key: '1' },
  { label: 'Contacts', key: '2' },
  { label: 'Companies', key: '3' },
  { label: 'Deals', key: '4' },
  { label: 'Tasks', key: '5' },
  { label: 'Notes', key: '6' },
  { label: 'Content', key: '7' },
  { label: 'Communications', key: '8' },
  { label: 'Reports', key: 'R' },
  { label: 'Settings', key: '9' },
  { label: 'Audit', key: '0' },
  { label: 'Sync', key: 'S' },
  { label: 'Import', key: 'I' },
];

function command(
  label: string,
  accelerator: string,
  key: KeyPress,
  press: MenuOptions['press'],
): MenuItemConstructorOptions {
  return { label, accelerator, registerAccelerator: false, click: () => press(key) };
}

export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const searchKey: KeyPress = { key: 'K', modifiers: [mac ? 'meta' : 'control'] };
  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: options.appName,
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  }
  template.push(
    {
      label: '&File',
      submenu: [
        command('Search…', 'CmdOrCtrl+K', searchKey, options.press),
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'pasteAndMatchStyle' },
        { role: 'delete' },
        { type: 'separator' },
        { role: 'selectAll' },
      ],
    },
    {
      label: '&View',
      submenu: [
        ...(options.isDev
          ? ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const)
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: '&Go',
      submenu: GO_ITEMS.map((item) =>
        command(item.label, `Alt+${item.key}`, { key: item.key, modifiers: ['alt'] }, options.press),
      ),
    },
    { role: 'windowMenu' },
  );
  if (!mac) template.push({ role: 'help', submenu: [{ role: 'about' }] });
  return template;
}
