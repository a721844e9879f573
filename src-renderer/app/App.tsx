import { useMemo } from 'react';
import { Toasts } from '../ui/Toasts';
import { AppShell } from './AppShell';
import { upgradingText } from './boot-text';
import { CrmProvider, useCurrentUser } from './crm-context';
import { useLocalDatabase } from './useLocalDatabase';

export function App() {
  const state = useLocalDatabase();
  const ready = state.status === 'ready' ? state : undefined;
  const user = useCurrentUser(ready?.repos, ready?.user);
  const crm = useMemo(
    () =>
      ready && user
        ? {
            db: ready.db,
            repos: ready.repos,
            user,
            mode: ready.user ? ('signed-in' as const) : ('demo' as const),
            sync: ready.sync,
          }
        : undefined,
    [ready, user],
  );
  return (
    <>
      {state.status === 'opening' && <p className="boot">Opening the local database…</p>}
      {state.status === 'upgrading' && (
        <p className="boot" role="status">
          {upgradingText(state.progress)}
        </p>
      )}
      {state.status === 'seeding' && (
        <p className="boot" role="status">
          First run: loading demo data… {state.progress.written.toLocaleString()} records ({state.progress.entity})
        </p>
      )}
      {state.status === 'error' && (
        <p className="boot error" role="alert">
          The local database could not be opened: {state.message}
        </p>
      )}
      {crm && (
        <CrmProvider value={crm}>
          <AppShell />
        </CrmProvider>
      )}
      <Toasts />
    </>
  );
}
