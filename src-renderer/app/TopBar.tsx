import { SearchLauncher } from '../features/search';
import { AccountMenu, SyncIndicator } from '../features/sync';

/** Always on screen: global search (Ctrl/Cmd+K), the sync status, and who is signed in. */
export function TopBar() {
  return (
    <header className="topbar">
      <SearchLauncher />
      <span className="spacer" />
      <SyncIndicator />
      <AccountMenu />
    </header>
  );
}
