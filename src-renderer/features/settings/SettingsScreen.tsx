import { type ComponentType, type KeyboardEvent, useRef } from 'react';
import { useCrm } from '../../app/crm-context';
import { useNavigation } from '../../app/navigation';
import { ApiKeysSection } from './components/ApiKeysSection';
import { CurrenciesSection, ProductsSection, RatesSection } from './components/CatalogueSections';
import { CustomFieldsSection } from './components/CustomFieldsSection';
import { GroupsSection } from './components/GroupsSection';
import { IntegrationsSection } from './components/IntegrationsSection';
import { RetentionSection } from './components/RetentionSection';
import { RolesSection } from './components/RolesSection';
import { UsersSection } from './components/UsersSection';
import { WorkflowsSection } from './components/WorkflowsSection';
import { settingsAreasFor } from './settings-areas';
import './settings.css';

const SECTIONS: Record<string, ComponentType> = {
  users: UsersSection,
  roles: RolesSection,
  groups: GroupsSection,
  fields: CustomFieldsSection,
  products: ProductsSection,
  currencies: CurrenciesSection,
  rates: RatesSection,
  workflows: WorkflowsSection,
  integrations: IntegrationsSection,
  retention: RetentionSection,
  apiKeys: ApiKeysSection,
};

/**
 * Settings: one tab per area the user's role may read; each area editable as far as the role
 * allows (a rep reads them all and changes none). The tab and the open record live in the route.
 */
export function SettingsScreen() {
  const { user } = useCrm();
  const route = useNavigation((s) => s.route);
  const go = useNavigation((s) => s.go);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const areas = settingsAreasFor(user.permissions);
  const current = areas.find((a) => a.id === route.tab) ?? areas[0];
  if (!current) return <div className="empty pad">Your role gives you no settings to see.</div>;
  const select = (index: number) => {
    const area = areas[(index + areas.length) % areas.length];
    if (!area) return;
    go({ screen: 'settings', tab: area.id });
    tabs.current[(index + areas.length) % areas.length]?.focus();
  };
  const onKeyDown = (event: KeyboardEvent, index: number) => {
    const moves: Record<string, number> = {
      ArrowRight: index + 1,
      ArrowLeft: index - 1,
      Home: 0,
      End: areas.length - 1,
    };
    const to = moves[event.key];
    if (to !== undefined) {
      event.preventDefault();
      select(to);
    }
  };
  const Section = SECTIONS[current.id] ?? UsersSection;
  return (
    <div className="settings-screen">
      <header className="settings-head">
        <h1>Settings</h1>
        <div className="settings-tabs" role="tablist" aria-label="Settings areas">
          {areas.map((area, index) => (
            <button
              key={area.id}
              ref={(el) => {
                tabs.current[index] = el;
              }}
              type="button"
              role="tab"
              id={`settings-tab-${area.id}`}
              aria-selected={area.id === current.id}
              aria-controls="settings-panel"
              tabIndex={area.id === current.id ? 0 : -1}
              onClick={() => go({ screen: 'settings', tab: area.id })}
              onKeyDown={(e) => onKeyDown(e, index)}
            >
              {area.label}
            </button>
          ))}
        </div>
      </header>
      {current.readOnly && (
        <p className="settings-readonly" role="note">
          <strong>Read-only.</strong> Your role can see these settings but not change them.
        </p>
      )}
      <div
        className="settings-panel"
        id="settings-panel"
        role="tabpanel"
        aria-labelledby={`settings-tab-${current.id}`}
      >
        <Section key={current.id} />
      </div>
    </div>
  );
}
