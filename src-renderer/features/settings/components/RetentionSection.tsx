import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { appSession, useSessionState } from '../../../app/app-session';
import { useCrm } from '../../../app/crm-context';
import { authorizedFetch } from '../../../sync/authenticated-transport';
import { fetchRetentionRuns, type RetentionRun, retentionKeys, startRetentionRun } from './Retention.queries';
import { SettingsDetail } from './SettingsDetail';
import { SettingsTable } from './SettingsTable';

const POLICY = ['name', 'target', 'status', 'age', 'ageUnit', 'action', 'enabled', 'description'];

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function RunLine({ run }: { run: RetentionRun }) {
  const changed = run.report.reduce((n, p) => n + p.applied, 0);
  const matched = run.report.reduce((n, p) => n + p.matched, 0);
  return (
    <li>
      <strong>{when(run.startedAt)}</strong> · {run.dryRun ? 'dry run' : 'run'} ({run.trigger}) ·{' '}
      {run.dryRun ? `${matched} would change` : `${changed} changed`}
      <ul>
        {run.report.map((p) => (
          <li key={p.policyId}>
            {p.name}: {p.matched} matched
            {run.dryRun ? '' : `, ${p.applied} ${p.action === 'delete' ? 'deleted' : 'anonymised'}`}
            {p.sampleIds.length > 0 && <span className="muted"> (e.g. {p.sampleIds.join(', ')})</span>}
            {p.error && <span className="form-error"> failed: {p.error}</span>}
          </li>
        ))}
      </ul>
    </li>
  );
}

/** The last runs from the server, and a dry run or a run now; needs a signed-in administrator. */
function RetentionRuns() {
  const session = useSessionState();
  const serverUrl = session.status === 'signed-in' ? session.serverUrl : undefined;
  const client = useQueryClient();
  const runs = useQuery({
    queryKey: retentionKeys.list(serverUrl ?? ''),
    queryFn: ({ signal }) => fetchRetentionRuns(authorizedFetch(appSession()), serverUrl ?? '', signal),
    enabled: serverUrl !== undefined,
  });
  const run = useMutation({
    mutationFn: (dryRun: boolean) => startRetentionRun(authorizedFetch(appSession()), serverUrl ?? '', dryRun),
    onSettled: () => client.invalidateQueries({ queryKey: retentionKeys.all }),
  });
  if (serverUrl === undefined) {
    return <p className="muted">The server runs the policies: sign in to a server to see its runs and start one.</p>;
  }
  return (
    <section className="retention-runs" aria-label="Retention runs">
      <div className="toolbar">
        <h3>Last runs</h3>
        <span className="spacer" />
        <button type="button" disabled={run.isPending} onClick={() => run.mutate(true)}>
          Dry run
        </button>
        <button
          type="button"
          className="danger"
          disabled={run.isPending}
          onClick={() => {
            if (window.confirm('Delete and anonymise every record the enabled policies match now?')) run.mutate(false);
          }}
        >
          Run now
        </button>
      </div>
      {(runs.error ?? run.error) && (
        <p className="form-error" role="alert">
          {(runs.error ?? run.error)?.message}
        </p>
      )}
      {runs.data?.length === 0 && <p className="muted">No runs yet: the server runs the policies every night.</p>}
      <ol className="retention-run-list">
        {runs.data?.map((r) => (
          <RunLine key={r.id} run={r} />
        ))}
      </ol>
    </section>
  );
}

/**
 * Settings → Retention, for administrators only (`adminOnly`; the server checks too): how long
 * records are kept, as policy records (synced, validated by the registry: a bad one is refused
 * naming the field), and the server's runs.
 */
export function RetentionSection() {
  const { repos } = useCrm();
  return (
    <SettingsTable
      entity="retentionPolicy"
      tab="retention"
      columns={['name', 'target', 'status', 'age', 'ageUnit', 'action', 'enabled']}
      widths={{ name: '1.6fr', age: '0.5fr', ageUnit: '0.7fr', enabled: '0.6fr' }}
      intro="How long records are kept. The server deletes or anonymises what each enabled policy matches, nightly and when run here; devices receive it at their next sync."
      banner={<RetentionRuns />}
      create={{
        label: 'New policy',
        fields: POLICY,
        save: (values) => repos.retentionPolicy.create(values as never),
      }}
      detail={(id, close) => (
        <SettingsDetail
          entity="retentionPolicy"
          id={id}
          onClose={close}
          fields={POLICY}
          edit={{ fields: POLICY, save: (policyId, values) => repos.retentionPolicy.update(policyId, values as never) }}
        />
      )}
    />
  );
}
