import { getEntity, isEntityName } from '../../../../src-shared/entities/registry';
import { useCan, useCrm } from '../../../app/crm-context';
import { run } from '../settings-action';
import { rulesInWords, words } from '../workflow-rules';
import { createWorkflow, saveWorkflow, setWorkflowActive } from '../workflows.service';
import { type Row, SettingsDetail } from './SettingsDetail';
import { SettingsTable } from './SettingsTable';
import { WorkflowRunLog } from './WorkflowRunLog';

const CREATE = ['name', 'entityKind', 'trigger', 'schedule', 'description'];
const EDIT = ['name', 'entityKind', 'trigger', 'schedule', 'description', 'conditions', 'actions'];

/** Workflows: their configuration (trigger, conditions, actions) and whether they run. */
export function WorkflowsSection() {
  const { repos } = useCrm();
  const canUpdate = useCan('workflow', 'update');
  return (
    <SettingsTable
      entity="workflow"
      tab="workflows"
      columns={['name', 'entityKind', 'trigger', 'active', 'lastRunAt', 'runCount']}
      widths={{ name: '1.8fr', trigger: '1.3fr', active: '0.6fr', runCount: '0.6fr' }}
      intro="Automations: when a trigger fires on a kind of record and the conditions hold, the actions run. New workflows start paused."
      create={{ label: 'New workflow', fields: CREATE, save: (values) => createWorkflow(repos, values) }}
      detail={(id, close) => (
        <SettingsDetail
          entity="workflow"
          id={id}
          onClose={close}
          fields={['entityKind', 'trigger', 'schedule', 'description', 'lastRunAt', 'runCount']}
          edit={{ fields: EDIT, save: (workflowId, values) => saveWorkflow(repos, workflowId, values) }}
          badges={(wf) =>
            wf.active ? <span className="badge badge-active">Active</span> : <span className="badge">Paused</span>
          }
          actions={(wf) =>
            !canUpdate ? null : wf.active ? (
              <button
                type="button"
                onClick={() => void run(() => setWorkflowActive(repos, id, false), 'workflow paused')}
              >
                Pause
              </button>
            ) : (
              <button
                type="button"
                className="primary"
                onClick={() => void run(() => setWorkflowActive(repos, id, true), 'workflow activated')}
              >
                Activate
              </button>
            )
          }
        >
          {(wf) => (
            <>
              <Rules workflow={wf} />
              <WorkflowRunLog workflow={wf} />
            </>
          )}
        </SettingsDetail>
      )}
    />
  );
}

/** The workflow's trigger, conditions and actions in words, the JSON they come from a click away. */
function Rules({ workflow }: { workflow: Row }) {
  const kind = String(workflow.entityKind);
  const rules = rulesInWords(kind, workflow.conditions, workflow.actions);
  const label = isEntityName(kind) ? getEntity(kind).label.toLowerCase() : kind;
  return (
    <section className="section workflow-rules" aria-label="Rules">
      <h3>Rules</h3>
      <p>
        <strong>When</strong> {words(String(workflow.trigger))} on a {label}
        {rules.conditions.length > 0 &&
          (rules.match === 'all' ? ' and all of these hold:' : ' and any of these holds:')}
      </p>
      {rules.conditions.length > 0 && (
        <ul>
          {rules.conditions.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      )}
      <p>
        <strong>Then</strong>
        {rules.actions.length === 0 && <span className="muted"> nothing yet: add actions with Edit.</span>}
      </p>
      {rules.actions.length > 0 && (
        <ol>
          {rules.actions.map((a, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: actions are an ordered list; two may read the same.
            <li key={i}>{a}</li>
          ))}
        </ol>
      )}
      <details className="workflow-json">
        <summary>Conditions and actions as JSON</summary>
        <pre className="settings-json">
          {JSON.stringify({ conditions: workflow.conditions ?? null, actions: workflow.actions ?? [] }, null, 2)}
        </pre>
      </details>
    </section>
  );
}
