import { type FormEvent, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { getEntity, isEntityName } from '../../../../src-shared/entities/registry';
import { workflowEntity } from '../../../../src-shared/entities/work.entity';
import type { FieldProblem } from '../../../../src-shared/schema/define-entity';
import { ValidationError } from '../../../../src-shared/schema/validation-error';
import { useRepos } from '../../../app/crm-context';
import { useCustomFields } from '../../../ui/RecordForm';
import { errorMessage } from '../../../ui/toasts';
import { repoOf } from '../../../ui/useRecordName';
import { blankDraft, buildDefinition, draftOf, type IntegrationChoice, type WorkflowDraft } from '../workflow-draft';
import { words } from '../workflow-rules';
import { saveWorkflowDefinition } from '../workflows.service';
import { ActionRows } from './WorkflowActions';
import { Choice, Field, ProblemsContext } from './WorkflowField';
import { ConditionRows, TriggerFields } from './WorkflowWhen';
import './WorkflowEditor.css';

/**
 * The workflow editor: a structured form (trigger and its parameters, condition rows, action rows
 * with a form per kind) by default, the definition's JSON as an advanced view. Both save through
 * the same checks: the draft's inputs typed, then the shared validation (workflowProblems, the
 * server's own), each problem shown beside its input; a problem with no input of its own (or in
 * the JSON view) is listed under the form.
 */

const KINDS = workflowEntity.fields.entityKind.values ?? [];

/** Integrations with the URL a webhook action posts to. */
function useIntegrations(): IntegrationChoice[] {
  const repos = useRepos();
  const [integrations, setIntegrations] = useState<IntegrationChoice[]>([]);
  useEffect(() => {
    let live = true;
    void repoOf(repos, 'externalIntegration')
      ?.list({ limit: 500 })
      .then((rows) => {
        const found = (rows as Record<string, unknown>[]).map((r) => ({
          id: String(r.id),
          ...(typeof r.endpointUrl === 'string' ? { endpointUrl: r.endpointUrl } : {}),
        }));
        if (live) setIntegrations(found);
      });
    return () => {
      live = false;
    };
  }, [repos]);
  return integrations;
}

export function WorkflowEditor({
  workflow,
  onSaved,
  onCancel,
}: {
  /** The stored workflow to edit; none: a new one. */
  workflow?: Readonly<Record<string, unknown>> & { id: string };
  onSaved: (id: string) => void;
  onCancel: () => void;
}) {
  const formId = useId().replace(/:/g, '');
  const repos = useRepos();
  const [draft, setDraft] = useState<WorkflowDraft>(() => (workflow ? draftOf(workflow) : blankDraft()));
  const [mode, setMode] = useState<'form' | 'json'>('form');
  const [json, setJson] = useState('');
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [saving, setSaving] = useState(false);
  const entity = isEntityName(draft.entityKind) ? getEntity(draft.entityKind) : undefined;
  const customFields = useCustomFields(entity ?? workflowEntity);
  const integrations = useIntegrations();
  const context = { customFields, integrations };
  // Once a save was tried, each edit checks the draft again: a problem goes as soon as it is fixed.
  const [tried, setTried] = useState(false);
  const update = (change: (d: WorkflowDraft) => WorkflowDraft) => {
    const next = change(draft);
    setDraft(next);
    if (tried && mode === 'form') setProblems(buildDefinition(next, context).problems);
  };

  const byPath = useMemo(() => {
    const map: Record<string, string> = {};
    for (const p of problems) map[p.field] ??= p.problem;
    return map;
  }, [problems]);
  // Problems with no input of their own on screen are listed under the form, found once it has rendered.
  const formRef = useRef<HTMLFormElement>(null);
  const [elsewhere, setElsewhere] = useState<FieldProblem[]>([]);
  useLayoutEffect(() => {
    const form = formRef.current;
    const hasInput = (field: string) =>
      form?.querySelector(`#${CSS.escape(`${formId}-${field.replace(/[^A-Za-z0-9_-]/g, '_')}`)}`) != null;
    setElsewhere(problems.filter((p) => !hasInput(p.field)));
  }, [problems, formId]);

  const toJson = () => {
    const { definition } = buildDefinition(draft, context);
    setJson(JSON.stringify({ conditions: definition.conditions, actions: definition.actions }, null, 2));
    setProblems([]);
    setMode('json');
  };
  /** The JSON view's text back into the draft; false (with the problem shown) when it is not JSON. */
  const fromJson = (): WorkflowDraft | undefined => {
    try {
      const parsed = JSON.parse(json) as { conditions?: unknown; actions?: unknown };
      return draftOf({ ...draft, conditions: parsed.conditions, actions: parsed.actions });
    } catch (error) {
      setProblems([{ field: 'json', problem: `must be JSON (${(error as Error).message})` }]);
      return undefined;
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const current = mode === 'json' ? fromJson() : draft;
    if (!current) return;
    const { definition, problems: found } = buildDefinition(current, context);
    setTried(true);
    setProblems(found);
    if (found.length > 0) return;
    setSaving(true);
    try {
      const saved = await saveWorkflowDefinition(repos, workflow?.id, definition);
      onSaved(saved.id);
    } catch (error) {
      setProblems(
        error instanceof ValidationError ? [...error.problems] : [{ field: 'form', problem: errorMessage(error) }],
      );
    } finally {
      setSaving(false);
    }
  };

  return (
    <ProblemsContext.Provider value={{ problems: byPath, formId }}>
      <form ref={formRef} className="workflow-editor" onSubmit={submit} noValidate aria-label="Workflow editor">
        <fieldset className="workflow-mode" aria-label="Editor view">
          <button
            type="button"
            aria-pressed={mode === 'form'}
            onClick={() => {
              const back = mode === 'json' ? fromJson() : undefined;
              if (!back) return;
              setDraft(back);
              setProblems([]);
              setMode('form');
            }}
          >
            Form
          </button>
          <button type="button" aria-pressed={mode === 'json'} onClick={() => mode === 'form' && toJson()}>
            JSON (advanced)
          </button>
        </fieldset>
        <div className="form-grid">
          <Field label="Name" path="name">
            {(props) => (
              <input {...props} value={draft.name} onChange={(e) => update((d) => ({ ...d, name: e.target.value }))} />
            )}
          </Field>
          <Field label="Applies to" path="entityKind">
            {(props) => (
              <Choice
                props={props}
                value={draft.entityKind}
                options={KINDS.map((k) => [k, isEntityName(k) ? getEntity(k).plural : words(k, true)] as const)}
                onChange={(entityKind) =>
                  update((d) => ({ ...d, entityKind, params: {}, conditions: [], trigger: 'recordCreated' }))
                }
              />
            )}
          </Field>
          <Field label="Description" path="description" wide>
            {(props) => (
              <input
                {...props}
                value={draft.description}
                onChange={(e) => update((d) => ({ ...d, description: e.target.value }))}
              />
            )}
          </Field>
        </div>
        <fieldset className="workflow-block">
          <legend>When</legend>
          <TriggerFields draft={draft} update={update} typeOnly={mode === 'json'} />
        </fieldset>
        {mode === 'form' ? (
          <>
            <ConditionRows draft={draft} update={update} customFields={customFields} />
            <ActionRows draft={draft} update={update} />
          </>
        ) : (
          <Field label="Conditions and actions (JSON)" path="json" wide>
            {(props) => (
              <textarea
                {...props}
                className="workflow-json-input"
                rows={16}
                spellCheck={false}
                value={json}
                onChange={(e) => setJson(e.target.value)}
              />
            )}
          </Field>
        )}
        {elsewhere.length > 0 && (
          <ul className="form-error workflow-problems" role="alert" aria-label="Problems">
            {elsewhere.map((p) => (
              <li key={`${p.field} ${p.problem}`}>{p.field === 'form' ? p.problem : `${p.field} ${p.problem}`}</li>
            ))}
          </ul>
        )}
        <div className="form-actions">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={saving}>
            {saving ? 'Saving…' : workflow ? 'Save new version' : 'Create workflow'}
          </button>
        </div>
      </form>
    </ProblemsContext.Provider>
  );
}
