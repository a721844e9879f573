import type { Route } from '../../app/navigation';

const SCREEN_OF: Record<string, Route['screen']> = {
  contact: 'contacts',
  company: 'companies',
  lead: 'leads',
  deal: 'deals',
  task: 'tasks',
  note: 'notes',
  content: 'content',
  communication: 'communications',
};

/** Settings records open on their settings tab (the tab ids of features/settings, which imports this feature). */
const SETTINGS_TAB_OF: Record<string, string> = {
  user: 'users',
  userRole: 'roles',
  userGroup: 'groups',
  customField: 'fields',
  product: 'products',
  currency: 'currencies',
  exchangeRate: 'rates',
  workflow: 'workflows',
  externalIntegration: 'integrations',
};

/** Where a record of this kind opens, if it has a screen of its own. */
export function recordRoute(kind: string, id: string): Route | undefined {
  const screen = SCREEN_OF[kind];
  if (screen) return { screen, id };
  const tab = SETTINGS_TAB_OF[kind];
  return tab ? { screen: 'settings', tab, id } : undefined;
}
