import type { ScreenId } from './navigation';

export interface ScreenKey {
  readonly screen: ScreenId;
  readonly label: string;
  /** A single glyph for the sidebar (no icon font: the CSP allows no third-party assets). */
  readonly icon: string;
  /** The entity whose read permission shows the screen in the sidebar. */
  readonly entity: string;
  /** Alt+<key> opens the screen; the desktop menu's Go items show the same keys (src-main/services/menu.ts). */
  readonly key: string;
}

/** The screens in sidebar order; plain data so that the desktop menu's test can compare against it. */
export const SCREEN_KEYS: readonly ScreenKey[] = [
  { screen: 'dashboard', label: 'Dashboard', icon: '◔', entity: 'deal', key: 'd' },
  { screen: 'leads', label: 'Leads', icon: '◎', entity: 'lead', key: '1' },
  { screen: 'contacts', label: 'Contacts', icon: '☺', entity: 'contact', key: '2' },
  { screen: 'companies', label: 'Companies', icon: '▦', entity: 'company', key: '3' },
  { screen: 'deals', label: 'Deals', icon: '◆', entity: 'deal', key: '4' },
  { screen: 'tasks', label: 'Tasks', icon: '✓', entity: 'task', key: '5' },
  { screen: 'notes', label: 'Notes', icon: '✎', entity: 'note', key: '6' },
  { screen: 'content', label: 'Content', icon: '▤', entity: 'content', key: '7' },
  { screen: 'communications', label: 'Communications', icon: '✉', entity: 'communication', key: '8' },
  { screen: 'reports', label: 'Reports', icon: '▥', entity: 'deal', key: 'r' },
  { screen: 'settings', label: 'Settings', icon: '⚙', entity: 'user', key: '9' },
  { screen: 'audit', label: 'Audit', icon: '☰', entity: 'auditLog', key: '0' },
  { screen: 'sync', label: 'Sync', icon: '⇅', entity: 'auditLog', key: 's' },
  { screen: 'import', label: 'Import', icon: '⇪', entity: 'contact', key: 'i' },
];
