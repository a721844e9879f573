import type { ComponentType } from 'react';
import { AuditScreen } from '../features/audit';
import { CommunicationsScreen } from '../features/communications';
import { CompaniesScreen } from '../features/companies';
import { ContactsScreen } from '../features/contacts';
import { ContentScreen } from '../features/content';
import { DashboardScreen } from '../features/dashboard';
import { DealsScreen } from '../features/deals';
import { ImportScreen } from '../features/import';
import { LeadsScreen } from '../features/leads';
import { NotesScreen } from '../features/notes';
import { ReportsScreen } from '../features/reports';
import { SettingsScreen } from '../features/settings';
import { SyncScreen } from '../features/sync';
import { TasksScreen } from '../features/tasks';
import type { ScreenId } from './navigation';
import { SCREEN_KEYS, type ScreenKey } from './screen-keys';

export interface ScreenInfo extends ScreenKey {
  component: ComponentType;
}

const COMPONENTS: Record<ScreenId, ComponentType> = {
  dashboard: DashboardScreen,
  leads: LeadsScreen,
  contacts: ContactsScreen,
  companies: CompaniesScreen,
  deals: DealsScreen,
  tasks: TasksScreen,
  notes: NotesScreen,
  content: ContentScreen,
  communications: CommunicationsScreen,
  reports: ReportsScreen,
  settings: SettingsScreen,
  audit: AuditScreen,
  sync: SyncScreen,
  import: ImportScreen,
};

export const SCREEN_INFO = Object.fromEntries(
  SCREEN_KEYS.map((info) => [info.screen, { ...info, component: COMPONENTS[info.screen] }]),
) as Record<ScreenId, ScreenInfo>;
