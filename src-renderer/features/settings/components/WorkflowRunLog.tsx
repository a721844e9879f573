import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { can } from '../../../../src-shared/auth/permissions';
import { appSession, useSessionState } from '../../../app/app-session';
import { useCrm } from '../../../app/crm-context';
import { authorizedFetch } from '../../../sync/authenticated-transport';
import { useServerOnline } from '../../../sync/useServerOnline';
import { formatFullDateTime } from '../../../ui/format';
import { errorMessage, toast } from '../../../ui/toasts';
import { RecordName } from '../../../ui/useRecordName';
import {
  fetchFailedJobs,
  fetchWorkflowRuns,
  retryJob,
  runWorkflowNow,
  type WorkflowRun,
  workflowRunKeys,
} from '../workflows.service';
import { RefreshLink, ServerLogBody } from './ServerLog';
import { WorkflowRunNow } from './WorkflowRunNow';
import './WorkflowRunLog.css';

/**
 * A workflow's recent server runs (when, which record, what happened and why, the actions applied,
 * the definition's version), its failed jobs with Retry, and "Run now on…". The log lives on the
 * sync server only (react-query, not RxDB): in demo mode, signed out or offline the section says so.
 */

const OUTCOME: Record<WorkflowRun['outcome'], { label: string; badge: string }> = {
  planned: { label: 'Ran', badge: 'badge badge-completed' },
  skipped: { label: 'Skipped', badge: 'badge' },
  failed: { label: 'Failed', badge: 'badge badge-lost' },
};

const when = (iso: string | null) => (iso ? formatFullDateTime(iso) : '—');

export function WorkflowRunLog({ workflow }: { workflow: Readonly<Record<string, unknown>> }) {
  const { mode, user } = useCrm();
  const session = useSessionState();
  const online = useServerOnline();
  const serverUrl = session.status === 'signed-in' ? session.serverUrl : undefined;
  // The server shows runs to those who may change workflows organisation-wide.
  const admin = can(user.permissions, 'workflow', 'update') === 'all';
  const active = mode === 'signed-in' && serverUrl !== undefined && online && admin;
  const workflowId = String(workflow.id);
  const url = serverUrl ?? '';
  const runs = useQuery({
    queryKey: workflowRunKeys.runs(url, workflowId),
    queryFn: ({ signal }) => fetchWorkflowRuns(authorizedFetch(appSession()), url, workflowId, 50, signal),
    enabled: active,
    staleTime: 10_000,
    refetchInterval: 30_000,
    retry: 1,
  });
  const jobs = useQuery({
    queryKey: workflowRunKeys.failedJobs(url),
    queryFn: ({ signal }) => fetchFailedJobs(authorizedFetch(appSession()), url, signal),
    enabled: active,
    staleTime: 10_000,
    refetchInterval: 30_000,
    retry: 1,
  });
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: workflowRunKeys.all });
  const retry = useMutation({
    mutationFn: (jobId: string) => retryJob(authorizedFetch(appSession()), url, jobId),
    onSuccess: () => toast({ tone: 'success', message: 'The job is queued again; it runs within moments.' }),
    onError: (error) => toast({ tone: 'error', message: errorMessage(error) }),
    onSettled: refresh,
  });
  const runNow = useMutation({
    mutationFn: (recordId: string) => runWorkflowNow(authorizedFetch(appSession()), url, workflowId, recordId),
    onSuccess: (run) =>
      toast({
        tone: run?.outcome === 'failed' ? 'error' : 'success',
        message: run
          ? `${OUTCOME[run.outcome].label}${run.reason ? `: ${run.reason}` : ''}`
          : 'Queued: the server runs it within moments.',
      }),
    onError: (error) => toast({ tone: 'error', message: errorMessage(error) }),
    onSettled: refresh,
  });

  let body: React.ReactNode;
  if (mode !== 'signed-in' || serverUrl === undefined) {
    body = <p className="muted">Runs are logged by the sync server: sign in to a server to see them.</p>;
  } else if (!online) {
    body = <p className="muted">Offline: the run log needs the server. It shows again once you are back online.</p>;
  } else if (!admin) {
    body = <p className="muted">Only those who may change workflows see their runs.</p>;
  } else {
    const failed = (jobs.data ?? []).filter((j) => j.workflowId === workflowId);
    body = (
      <>
        {workflow.active === true && (
          <WorkflowRunNow
            entityKind={String(workflow.entityKind)}
            busy={runNow.isPending}
            onRun={(recordId) => runNow.mutate(recordId)}
          />
        )}
        {failed.length > 0 && (
          <div className="workflow-failed-jobs">
            <h4>Failed jobs</h4>
            <ul>
              {failed.map((job) => (
                <li key={job.id}>
                  <span>
                    <RecordName entity={job.entityKind} id={job.recordId} /> ({job.event},{' '}
                    {job.attempts === 1 ? '1 attempt' : `${job.attempts} attempts`}):{' '}
                    <span className="workflow-run-reason">{job.lastError ?? 'no reason recorded'}</span>
                  </span>
                  <button type="button" disabled={retry.isPending} onClick={() => retry.mutate(job.id)}>
                    Retry
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
        <ServerLogBody query={runs} name="The run log" loading="Loading runs…" empty="No runs yet.">
          {(rows) => <RunTable runs={rows} />}
        </ServerLogBody>
      </>
    );
  }
  return (
    <section className="section workflow-run-log" aria-label="Runs">
      <h3>
        Runs
        {active && <RefreshLink fetching={runs.isFetching} onClick={() => void refresh()} />}
      </h3>
      {body}
    </section>
  );
}

function RunTable({ runs }: { runs: readonly WorkflowRun[] }) {
  return (
    <table className="workflow-runs">
      <thead>
        <tr>
          <th>When</th>
          <th>Record</th>
          <th>Outcome</th>
          <th>Actions applied</th>
          <th>Version</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id}>
            <td>
              {when(run.ranAt)}
              <div className="muted">
                {run.event}
                {run.attempt > 1 ? `, attempt ${run.attempt}` : ''}
              </div>
            </td>
            <td>
              <RecordName entity={run.entityKind} id={run.recordId} />
            </td>
            <td>
              <span className={OUTCOME[run.outcome].badge}>{OUTCOME[run.outcome].label}</span>
              {run.reason && <div className="workflow-run-reason">{run.reason}</div>}
            </td>
            <td>
              {run.actions.length === 0 ? (
                <span className="muted">none</span>
              ) : (
                <ul className="workflow-run-actions">
                  {run.actions.map((a, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: a run's actions are an ordered list.
                    <li key={i}>
                      {a.type}: {a.result}
                      {a.detail ? ` (${a.detail})` : ''}
                    </li>
                  ))}
                </ul>
              )}
            </td>
            <td className="muted">{when(run.workflowVersion)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
