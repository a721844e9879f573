import { useEffect } from 'react';
import { can } from '../../src-shared/auth/permissions';
import { useInsights } from '../features/insights';
import { useReminders } from '../features/reminders';
import { useFiles } from '../files/useFiles';
import { preloadOnDemand } from '../ui/on-demand';
import { useCrm } from './crm-context';
import { SCREENS, useNavigation } from './navigation';
import { ScreenFrame } from './ScreenFrame';
import { SCREEN_INFO } from './screens';
import { useShortcuts } from './shortcuts';
import { TopBar } from './TopBar';

/** The frame around every screen: sidebar, top bar (search, sync status, user), the screen. */
export function AppShell() {
  const { user, mode } = useCrm();
  const route = useNavigation((s) => s.route);
  const go = useNavigation((s) => s.go);
  useShortcuts();
  // Attached files the server lacks upload while signed in, whichever screen is open.
  useFiles();
  // Reminders of the user's own tasks, in the app and the OS, whichever screen is open.
  useReminders();
  // Lead scores kept current and research briefs queued offline written on reconnect, whichever screen is open.
  useInsights();
  const visible = SCREENS.filter((id) => can(user.permissions, SCREEN_INFO[id].entity, 'read') !== 'none');
  const screen = visible.includes(route.screen) ? route.screen : (visible[0] ?? 'leads');
  const Screen = SCREEN_INFO[screen].component;
  useEffect(() => {
    // Every screen, dialog and export writer fetched soon after the first paint, so that they open
    // offline too (ui/on-demand.ts). A timeout rather than idle: a busy list must not hold it off.
    const timer = setTimeout(() => void preloadOnDemand(), 500);
    return () => clearTimeout(timer);
  }, []);
  useEffect(() => {
    document.title = `${SCREEN_INFO[screen].label} · FieldCRM`;
  }, [screen]);
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Screens">
        <div className="brand">
          <span className="brand-full">FieldCRM</span>
          <span className="brand-short" aria-hidden="true">
            F
          </span>
        </div>
        <ul>
          {visible.map((id) => (
            <li key={id}>
              <a
                href={`#/${id}`}
                className={id === screen ? 'active' : undefined}
                aria-current={id === screen ? 'page' : undefined}
                aria-keyshortcuts={`Alt+${SCREEN_INFO[id].key}`}
                title={`${SCREEN_INFO[id].label} (Alt+${SCREEN_INFO[id].key})`}
                // Fetches a lazy screen's chunk as the pointer or focus reaches its link, ahead of the click.
                onPointerEnter={() => void SCREEN_INFO[id].preload().catch(() => {})}
                onFocus={() => void SCREEN_INFO[id].preload().catch(() => {})}
                onClick={(e) => {
                  e.preventDefault();
                  go({ screen: id });
                }}
              >
                <span className="nav-icon" aria-hidden="true">
                  {SCREEN_INFO[id].icon}
                </span>
                <span className="nav-label">{SCREEN_INFO[id].label}</span>
              </a>
            </li>
          ))}
        </ul>
        <div className="sidebar-foot muted">{mode === 'demo' ? 'Demo data · not synced' : user.name}</div>
      </nav>
      <div className="main">
        <TopBar />
        <main className="screen" id="screen">
          <ScreenFrame label={SCREEN_INFO[screen].label}>
            <Screen />
          </ScreenFrame>
        </main>
      </div>
    </div>
  );
}
