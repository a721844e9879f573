import { EntityNav, RecordTable } from '../features/overview';
import { useAppStore } from './app.store';
import { useLocalDatabase } from './useLocalDatabase';

export function App() {
  const state = useLocalDatabase();
  const selected = useAppStore((s) => s.selected);
  return (
    <div className="app">
      <header className="topbar">
        <h1>FieldCRM</h1>
        <span className="muted">
          {window.crm ? 'Desktop' : 'Browser'} · local database{state.status === 'ready' ? ' open' : ''}
        </span>
      </header>
      {state.status === 'opening' && <p className="status">Opening the local database…</p>}
      {state.status === 'seeding' && (
        <p className="status" role="status">
          First run: loading demo data… {state.progress.written.toLocaleString()} records ({state.progress.entity})
        </p>
      )}
      {state.status === 'error' && (
        <p className="status error" role="alert">
          The local database could not be opened: {state.message}
        </p>
      )}
      {state.status === 'ready' && (
        <main className="layout">
          <EntityNav repos={state.repos} />
          <RecordTable repos={state.repos} name={selected} />
        </main>
      )}
    </div>
  );
}
