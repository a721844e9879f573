import { useState } from 'react';
import { getEntity, isEntityName } from '../../../../src-shared/entities/registry';
import { useCan, useCrm } from '../../../app/crm-context';
import { useNavigation } from '../../../app/navigation';
import { Dialog } from '../../../ui/Dialog';
import { toast } from '../../../ui/toasts';
import { run } from '../settings-action';
import { rulesInWords, triggerText } from '../workflow-rules';
import { setWorkflowActive } from '../workflows.service';
import { type Row, SettingsDetail } from './SettingsDetail';
import { SettingsTable } from './SettingsTable';
import { WorkflowEditor } from './WorkflowEditor';
import { WorkflowRunLog } from './WorkflowRunLog';

/**
 * Workflows: their configuration (trigger, conditions, actions) and whether they run. New and Edit
 * open the structured editor (WorkflowEditor.tsx); each save is a new version of the workflow.
 */
export function WorkflowsSection() {
  const { repos } = useCrm();
  const canUpdate = useCan('workflow', 'update');
  const canCreate = useCan('workflow', 'create');
  const go = useNavigation((s) => s.go);
  // The workflow in the editor: 'new', an open workflow, or none.
  const [editing, setEditing] = useState<'new' | Row | undefined>();
  const saved = (id: string) => {
    toast({ tone: 'success', message: editing === 'new' ? 'Workflow created.' : 'Workflow saved: a new version.' });
    setEditing(undefined);
    go({ screen: 'settings', tab: 'workflows', id });
  };
  return (
    <>
      <SettingsTable
        entity="workflow"
        tab="workflows"
        columns={['name', 'entityKind', 'trigger', 'active', 'lastRunAt', 'runCount']}
        widths={{ name: '1.8fr', trigger: '1.3fr', active: '0.6fr', runCount: '0.6fr' }}
        intro="Automations: when a trigger fires on a kind of record and the conditions hold, the actions run. New workflows start paused."
        toolbar={
          canCreate ? (
            <button type="button" className="primary" onClick={() => setEditing('new')}>
              New workflow
            </button>
          ) : undefined
        }
        detail={(id, close) => (
          <SettingsDetail
            entity="workflow"
            id={id}
            onClose={close}
            fields={['entityKind', 'trigger', 'schedule', 'description', 'lastRunAt', 'runCount']}
            badges={(wf) =>
              wf.active ? <span className="badge badge-active">Active</span> : <span className="badge">Paused</span>
            }
            actions={(wf) =>
              !canUpdate || wf.isDeleted ? null : (
                <>
                  <button type="button" onClick={() => setEditing(wf)}>
                    Edit
                  </button>
                  {wf.active ? (
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
                  )}
                </>
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
      <Dialog
        title={editing === 'new' ? 'New workflow' : 'Edit workflow'}
        open={editing !== undefined}
        onClose={() => setEditing(undefined)}
        wide
      >
        {editing !== undefined && (
          <WorkflowEditor
            key={editing === 'new' ? 'new' : `${editing.id}@${String(editing.updatedAt)}`}
            {...(editing === 'new' ? {} : { workflow: editing })}
            onSaved={saved}
            onCancel={() => setEditing(undefined)}
          />
        )}
      </Dialog>
    </>
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
        <strong>When</strong> {triggerText(kind, String(workflow.trigger), workflow.conditions)} on a {label}
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
