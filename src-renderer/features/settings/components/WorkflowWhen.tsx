import { SCORE_KINDS, TRIGGER_TYPES, triggerFieldsOf } from '../../../../src-shared/automation/workflow-triggers';
import { getEntity, isEntityName } from '../../../../src-shared/entities/registry';
import type { FieldSpec } from '../../../../src-shared/schema/field';
import {
  type ConditionRow,
  type CustomFieldChoice,
  conditionFields,
  NO_VALUE,
  opsFor,
  type WorkflowDraft,
} from '../workflow-draft';
import { words } from '../workflow-rules';
import { Choice, ChoiceField, Field, TextField, WorkflowRowList } from './WorkflowField';

/** The editor's "When": the trigger and its parameters, then the condition rows. */

const TRIGGER_LABELS: Record<string, string> = {
  recordCreated: 'A record is created',
  recordUpdated: 'A record is updated',
  fieldChanged: 'A field changes',
  stageChanged: 'The stage changes',
  scoreCrossed: 'A score crosses a threshold',
  dateReached: 'A date is reached',
  scheduled: 'On a schedule',
  manual: 'Only when run by hand',
};

const OP_LABELS: Record<string, string> = {
  eq: 'is',
  neq: 'is not',
  in: 'is one of',
  notIn: 'is none of',
  gt: 'is more than / after',
  gte: 'is at least',
  lt: 'is less than / before',
  lte: 'is at most',
  contains: 'contains',
  isSet: 'is set',
  isNotSet: 'is not set',
  changed: 'changed',
  crossedAbove: 'rose to at least',
  crossedBelow: 'fell below',
  olderThanDays: 'is more than … days ago',
  withinDays: 'is within … days of now',
};

type Update = (change: (draft: WorkflowDraft) => WorkflowDraft) => void;

const labelOf = (kind: string, name: string) =>
  isEntityName(kind) ? ((getEntity(kind).allFields as Record<string, FieldSpec>)[name]?.label ?? name) : name;

/** `typeOnly` (the JSON view): the trigger and schedule; its parameters are in the JSON, under conditions.trigger. */
export function TriggerFields({
  draft,
  update,
  typeOnly,
}: {
  draft: WorkflowDraft;
  update: Update;
  typeOnly?: boolean;
}) {
  const kind = draft.entityKind;
  const shows = (trigger: string) => !typeOnly && draft.trigger === trigger;
  const param = (key: string) => draft.params[key] ?? '';
  const setParam = (key: string, value: string) => update((d) => ({ ...d, params: { ...d.params, [key]: value } }));
  const fieldOptions = (names: string[]) => names.map((n) => [n, labelOf(kind, n)] as const);
  const stage = isEntityName(kind) ? (getEntity(kind).fields as Record<string, FieldSpec>).stage : undefined;
  return (
    <div className="form-grid">
      <ChoiceField
        label="Trigger"
        path="trigger"
        value={draft.trigger}
        options={TRIGGER_TYPES.filter((t) => t !== 'scoreCrossed' || SCORE_KINDS.includes(kind)).map(
          (t) => [t, TRIGGER_LABELS[t] ?? words(t, true)] as const,
        )}
        onChange={(trigger) => update((d) => ({ ...d, trigger, params: {} }))}
      />
      {draft.trigger === 'scheduled' && (
        <TextField
          label="Schedule (cron, UTC)"
          path="schedule"
          value={draft.schedule}
          placeholder="0 8 * * 1"
          onChange={(schedule) => update((d) => ({ ...d, schedule }))}
        />
      )}
      {shows('fieldChanged') && (
        <ChoiceField
          label="Field that changes"
          path="conditions.trigger.field"
          value={param('field')}
          empty="any field the conditions test"
          options={conditionFields(kind, []).map((f) => [f.name, f.label] as const)}
          onChange={(v) => setParam('field', v)}
        />
      )}
      {shows('stageChanged') && stage && (
        <ChoiceField
          label="Into stage"
          path="conditions.trigger.stage"
          value={param('stage')}
          empty="any stage"
          options={(stage.values ?? []).map((v) => [v, words(v, true)] as const)}
          onChange={(v) => setParam('stage', v)}
        />
      )}
      {shows('scoreCrossed') && (
        <>
          <ChoiceField
            label="Score field"
            path="conditions.trigger.field"
            value={param('field')}
            empty="choose a field…"
            options={fieldOptions(triggerFieldsOf(kind, 'numeric'))}
            onChange={(v) => setParam('field', v)}
          />
          <ChoiceField
            label="Direction"
            path="conditions.trigger.direction"
            value={param('direction') || 'up'}
            options={[
              ['up', 'rises to or above'],
              ['down', 'falls below'],
            ]}
            onChange={(v) => setParam('direction', v)}
          />
          <TextField
            label="Threshold"
            path="conditions.trigger.threshold"
            inputMode="decimal"
            value={param('threshold')}
            onChange={(v) => setParam('threshold', v)}
          />
        </>
      )}
      {shows('dateReached') && (
        <>
          <ChoiceField
            label="Date field"
            path="conditions.trigger.dateField"
            value={param('dateField')}
            empty="choose a date field…"
            options={fieldOptions(triggerFieldsOf(kind, 'date'))}
            onChange={(v) => setParam('dateField', v)}
          />
          <TextField
            label="Days after the date (negative: before)"
            path="conditions.trigger.offsetDays"
            inputMode="numeric"
            value={param('offsetDays') || '0'}
            onChange={(v) => setParam('offsetDays', v)}
          />
        </>
      )}
    </div>
  );
}

export function ConditionRows({
  draft,
  update,
  customFields,
}: {
  draft: WorkflowDraft;
  update: Update;
  customFields: readonly CustomFieldChoice[];
}) {
  const fields = conditionFields(draft.entityKind, customFields);
  const setRow = (i: number, change: Partial<ConditionRow>) =>
    update((d) => ({ ...d, conditions: d.conditions.map((r, j) => (j === i ? { ...r, ...change } : r)) }));
  const add = () => update((d) => ({ ...d, conditions: [...d.conditions, { field: '', op: 'eq', value: '' }] }));
  const remove = (i: number) => update((d) => ({ ...d, conditions: d.conditions.filter((_, j) => j !== i) }));
  return (
    <WorkflowRowList
      legend="Conditions"
      noun="Condition"
      rows={draft.conditions}
      onAdd={add}
      onRemove={remove}
      intro={
        <>
          {draft.conditions.length > 1 && (
            <ChoiceField
              label="Run when"
              path="conditions"
              value={draft.match}
              options={[
                ['all', 'all of these hold'],
                ['any', 'any of these holds'],
              ]}
              onChange={(v) => update((d) => ({ ...d, match: v === 'any' ? 'any' : 'all' }))}
            />
          )}
          {draft.conditions.length === 0 && (
            <p className="muted">No conditions: the actions run whenever it triggers.</p>
          )}
        </>
      }
      renderRow={(row, i) => {
        const path = `conditions.${draft.match}[${i}]`;
        const spec = fields.find((f) => f.name === row.field)?.spec;
        return (
          <>
            <ChoiceField
              label="Field"
              path={`${path}.field`}
              value={row.field}
              empty="choose a field…"
              options={fields.map((f) => [f.name, f.label] as const)}
              onChange={(field) => {
                const next = fields.find((f) => f.name === field)?.spec;
                const ops = opsFor(next);
                setRow(i, { field, op: ops.includes(row.op) ? row.op : (ops[0] ?? 'eq'), value: '' });
              }}
            />
            <ChoiceField
              label="Operator"
              path={`${path}.op`}
              value={row.op}
              options={opsFor(spec).map((op) => [op, OP_LABELS[op] ?? op] as const)}
              onChange={(op) => setRow(i, { op: op as ConditionRow['op'] })}
            />
            {!NO_VALUE.has(row.op) && (
              <Field label="Value" path={`${path}.value`}>
                {(props) =>
                  spec?.type === 'enum' && row.op !== 'in' && row.op !== 'notIn' ? (
                    <Choice
                      props={props}
                      value={row.value}
                      empty="choose…"
                      options={(spec.values ?? []).map((v) => [v, words(v, true)] as const)}
                      onChange={(value) => setRow(i, { value })}
                    />
                  ) : spec?.type === 'boolean' ? (
                    <Choice
                      props={props}
                      value={row.value}
                      empty="choose…"
                      options={[
                        ['true', 'yes'],
                        ['false', 'no'],
                      ]}
                      onChange={(value) => setRow(i, { value })}
                    />
                  ) : (
                    <input
                      {...props}
                      value={row.value}
                      placeholder={row.op === 'in' || row.op === 'notIn' ? 'a, b, c' : undefined}
                      onChange={(e) => setRow(i, { value: e.target.value })}
                    />
                  )
                }
              </Field>
            )}
          </>
        );
      }}
    />
  );
}
