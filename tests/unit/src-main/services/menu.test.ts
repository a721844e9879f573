import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { buildMenuTemplate, GO_ITEMS, type KeyPress } from '../../../../src-main/services/menu';
import { SCREEN_KEYS } from '../../../../src-renderer/app/screen-keys';

function build(platform: string, isDev = false) {
  const pressed: KeyPress[] = [];
  const template = buildMenuTemplate({ platform, appName: 'FieldCRM', isDev, press: (k) => pressed.push(k) });
  return { template, pressed };
}

function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu) : [])]);
}

const roles = (template: MenuItemConstructorOptions[]) =>
  items(template)
    .map((i) => i.role)
    .filter(Boolean);

describe('the application menu', () => {
  it('has the usual editing, view and window items (their shortcuts come with the roles)', () => {
    for (const platform of ['linux', 'win32', 'darwin']) {
      const found = roles(build(platform).template);
      for (const role of [
        'undo',
        'redo',
        'cut',
        'copy',
        'paste',
        'selectAll',
        'zoomIn',
        'zoomOut',
        'resetZoom',
        'togglefullscreen',
        'windowMenu',
      ]) {
        expect(found, `${platform}: ${role}`).toContain(role);
      }
    }
  });

  it('follows each platform: an app menu and Close on macOS, Quit in File elsewhere', () => {
    expect(build('darwin').template[0]?.label).toBe('FieldCRM');
    expect(roles(build('darwin').template)).toEqual(expect.arrayContaining(['about', 'hide', 'quit', 'close']));
    expect(roles(build('linux').template)).toContain('quit');
    expect(roles(build('linux').template)).not.toContain('hide');
  });

  it('offers reload and DevTools in development only', () => {
    expect(roles(build('linux', true).template)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
    expect(roles(build('linux', false).template)).not.toContain('toggleDevTools');
    expect(roles(build('linux', false).template)).not.toContain('reload');
  });

  it('sends the page the key a command is bound to, without capturing that key', () => {
    const { template, pressed } = build('linux');
    const search = items(template).find((i) => i.label === 'Search…');
    expect(search).toMatchObject({ accelerator: 'CmdOrCtrl+K', registerAccelerator: false });
    search?.click?.({} as never, undefined, {} as never);
    expect(pressed).toEqual([{ key: 'K', modifiers: ['control'] }]);
    const mac = build('darwin');
    items(mac.template)
      .find((i) => i.label === 'Search…')
      ?.click?.({} as never, undefined, {} as never);
    expect(mac.pressed).toEqual([{ key: 'K', modifiers: ['meta'] }]);
  });

  it('lists the screens with the same Alt keys the renderer binds', () => {
    expect(GO_ITEMS.map((i) => [i.label, i.key.toLowerCase()])).toEqual(SCREEN_KEYS.map((s) => [s.label, s.key]));
    const go = items(build('linux').template).filter((i) => i.accelerator?.startsWith('Alt+'));
    expect(go).toHaveLength(GO_ITEMS.length);
    for (const item of go) expect(item.registerAccelerator).toBe(false);
  });
});
