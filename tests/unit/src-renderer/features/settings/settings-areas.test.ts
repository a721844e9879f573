import { describe, expect, it } from 'vitest';
import { SETTINGS_AREA_INFO, settingsAreasFor } from '../../../../../src-renderer/features/settings/settings-areas';
import { builtInPermissions } from '../../../../../src-shared/auth/built-in-roles';
import { parsePermissions } from '../../../../../src-shared/auth/permissions';

describe('settings areas by permission', () => {
  it('gives an admin every area, editable', () => {
    const areas = settingsAreasFor(parsePermissions(builtInPermissions('admin')));
    expect(areas.map((a) => a.id)).toEqual(SETTINGS_AREA_INFO.map((a) => a.id));
    expect(areas.every((a) => !a.readOnly)).toBe(true);
  });

  it('shows a rep every area but the administrators’ own, read-only', () => {
    const areas = settingsAreasFor(parsePermissions(builtInPermissions('rep')));
    expect(areas.map((a) => a.id)).toEqual(SETTINGS_AREA_INFO.filter((a) => !a.adminOnly).map((a) => a.id));
    expect(areas.find((a) => a.id === 'apiKeys')).toBeUndefined();
    expect(areas.every((a) => a.readOnly)).toBe(true);
  });

  it('hides an area the role may not read and unlocks one it may change', () => {
    const areas = settingsAreasFor(
      parsePermissions({ product: { read: 'all', update: 'all' }, user: { read: 'none' }, '*': { read: 'all' } }),
    );
    expect(areas.find((a) => a.id === 'users')).toBeUndefined();
    expect(areas.find((a) => a.id === 'products')?.readOnly).toBe(false);
    expect(areas.find((a) => a.id === 'workflows')?.readOnly).toBe(true);
  });
});
