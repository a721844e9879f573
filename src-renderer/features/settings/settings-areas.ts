import { can, isAdminRole, type RolePermissions } from '../../../src-shared/auth/permissions';

export interface SettingsAreaInfo {
  id: string;
  label: string;
  /** The entity whose permissions show (read) and unlock (create/update) the area. */
  entity: string;
  /** Shown to administrators only (server-side settings no role grants piecemeal). */
  adminOnly?: boolean;
}

export const SETTINGS_AREA_INFO: readonly SettingsAreaInfo[] = [
  { id: 'users', label: 'Users', entity: 'user' },
  { id: 'roles', label: 'Roles & permissions', entity: 'userRole' },
  { id: 'groups', label: 'Groups', entity: 'userGroup' },
  { id: 'fields', label: 'Custom fields', entity: 'customField' },
  { id: 'products', label: 'Products', entity: 'product' },
  { id: 'currencies', label: 'Currencies', entity: 'currency' },
  { id: 'rates', label: 'Exchange rates', entity: 'exchangeRate' },
  { id: 'workflows', label: 'Workflows', entity: 'workflow' },
  { id: 'integrations', label: 'Integrations', entity: 'externalIntegration' },
  { id: 'retention', label: 'Retention', entity: 'retentionPolicy', adminOnly: true },
  { id: 'apiKeys', label: 'API keys', entity: 'userRole', adminOnly: true },
];

/** The areas a role may read, each marked read-only when the role may neither create nor change its records. */
export function settingsAreasFor(permissions: RolePermissions): (SettingsAreaInfo & { readOnly: boolean })[] {
  const admin = isAdminRole(permissions);
  return SETTINGS_AREA_INFO.filter(
    (a) => can(permissions, a.entity, 'read') !== 'none' && (admin || a.adminOnly !== true),
  ).map((a) => ({
    ...a,
    readOnly: can(permissions, a.entity, 'update') === 'none' && can(permissions, a.entity, 'create') === 'none',
  }));
}
