import type { ComponentType } from 'react';
import { loadAuditScreen } from '../features/audit';
import { ContactsScreen } from '../features/contacts';
import { LeadsScreen } from '../features/leads';
import { SyncScreen } from '../features/sync';
import { lazyComponent } from '../ui/on-demand';
import type { ScreenId } from './navigation';
import { SCREEN_KEYS, type ScreenKey } from './screen-keys';

export interface ScreenInfo extends ScreenKey {
  component: ComponentType;
  /** Starts fetching the screen's code (a no-op for a screen in the main bundle); resolves when it is there. */
  preload: () => Promise<unknown>;
}

/** A screen whose code is its own chunk, fetched on first visit, on `preload`, or by the app's preload. */
function lazyScreen(load: () => Promise<ComponentType>): Pick<ScreenInfo, 'component' | 'preload'> {
  const { Component, preload } = lazyComponent(load);
  return { component: Component, preload };
}

const eager = (component: ComponentType): Pick<ScreenInfo, 'component' | 'preload'> => ({
  component,
  preload: () => Promise.resolve(),
});

/**
 * Leads (the default route) and Contacts (the APP benchmark's first page, and a rep's usual first
 * stop) ship in the main bundle so that opening the app waits for no second fetch; every other
 * screen is a chunk of its own (issue 4: the main bundle was 1.74 MB). The chunks are same-origin
 * scripts, which the CSP's `script-src 'self'` admits (src-main/security/csp.ts).
 */
const SCREENS: Record<ScreenId, Pick<ScreenInfo, 'component' | 'preload'>> = {
  dashboard: lazyScreen(() => import('../features/dashboard').then((m) => m.DashboardScreen)),
  leads: eager(LeadsScreen),
  contacts: eager(ContactsScreen),
  companies: lazyScreen(() => import('../features/companies').then((m) => m.CompaniesScreen)),
  deals: lazyScreen(() => import('../features/deals').then((m) => m.DealsScreen)),
  tasks: lazyScreen(() => import('../features/tasks').then((m) => m.TasksScreen)),
  notes: lazyScreen(() => import('../features/notes').then((m) => m.NotesScreen)),
  content: lazyScreen(() => import('../features/content').then((m) => m.ContentScreen)),
  communications: lazyScreen(() => import('../features/communications').then((m) => m.CommunicationsScreen)),
  reports: lazyScreen(() => import('../features/reports').then((m) => m.ReportsScreen)),
  settings: lazyScreen(() => import('../features/settings').then((m) => m.SettingsScreen)),
  // Not `import('../features/audit')`: record pages import that index at start (RecordAuditTrail).
  audit: lazyScreen(loadAuditScreen),
  // The top bar's sync status brings this feature into the main bundle anyway.
  sync: eager(SyncScreen),
  import: lazyScreen(() => import('../features/import').then((m) => m.ImportScreen)),
};

export const SCREEN_INFO = Object.fromEntries(
  SCREEN_KEYS.map((info) => [info.screen, { ...info, ...SCREENS[info.screen] }]),
) as Record<ScreenId, ScreenInfo>;
